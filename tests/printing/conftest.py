"""Lets the printing tests import their shared hypothesis strategies
(``printing_strategies``) under pytest's importlib import mode."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

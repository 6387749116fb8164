"""The symbolic tests share their oracles (finite differences, SymPy)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

"""The ``chainlens`` command line."""

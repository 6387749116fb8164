"""Foundations every layer stands on: places and errors, limits, the expression DAG."""

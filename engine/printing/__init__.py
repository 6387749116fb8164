"""One expression DAG, four notations, and shared-subexpression rendering."""

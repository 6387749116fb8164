"""Symbolic differentiation: the chain rule, partials, steps, simplification, domains."""

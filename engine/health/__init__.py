"""Gradient health: static bounds, measurement, findings and remedies."""

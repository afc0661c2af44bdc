"""Annotator: annotate film and product reviews, export datasets, measure agreement."""

__version__ = "0.1.0"

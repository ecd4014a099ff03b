"""Inference Frontier core: data loading, metrics, Pareto frontiers, interpolation and
comparisons. Plain Python with no Dash import, so it is what most tests exercise."""

__version__ = "0.1.0"

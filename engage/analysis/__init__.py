"""Analyses built on a ranking: dominance, explanations, sensitivity, robustness, linkage."""

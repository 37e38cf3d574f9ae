"""Batch execution of the analysis notebooks into self-contained HTML reports."""

"""bulkimpact: cumulative privacy impact of bulk datasets held together."""
__version__ = "0.1.0"

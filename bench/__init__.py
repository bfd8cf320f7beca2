"""The build benchmark: ``make bench`` (``python -m bench``)."""

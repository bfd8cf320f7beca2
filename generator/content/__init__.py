"""The researcher's folder read into a model: plain functions that return
model objects and their diagnostics, with no cache inside (``load.py``)."""

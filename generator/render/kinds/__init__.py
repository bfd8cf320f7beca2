"""The output kinds: one module per page kind or export, each declaring its
items (output files, what they read of the model, how to make them); the
registry lists them in a fixed order (see ``registry.py``, ``base.py``)."""

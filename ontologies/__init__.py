"""Our own vocabulary, installed as the package `catalogue._ontologies` (see pyproject.toml)
and read with importlib.resources."""

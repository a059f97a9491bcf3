"""Our SHACL shapes, one file per profile, installed as the package `catalogue._shapes`
(see pyproject.toml) and read with importlib.resources."""

"""The site: Jinja2 templates and static files, installed as the package `catalogue._site`
(see pyproject.toml) and read with importlib.resources."""

"""catalogue: a linked-data catalogue and definitions registry for the Dutch public sector."""

__version__ = "0.1.0"

__all__ = ["__version__", "create_app"]


def __getattr__(name: str) -> object:
    # Lazy, so `import catalogue` stays cheap for the CLI and does not pull in FastAPI.
    if name == "create_app":
        from catalogue.web.app import create_app

        return create_app
    raise AttributeError(name)

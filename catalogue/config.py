"""Settings: the one reader of `CATALOGUE_*` environment variables; flags override them."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting the catalogue has. Each is a `CATALOGUE_<NAME>` variable and a CLI flag."""

    model_config = SettingsConfigDict(env_prefix="CATALOGUE_", extra="ignore")

    store: Path = Field(
        default=Path("var/store"),
        description="Directory of the embedded store; ':memory:' keeps it in memory.",
    )
    base_iri: str = Field(
        default="",
        description="Base of the IRIs we mint ({base}/id/...); defaults to http://HOST:PORT.",
    )
    index: Path | None = Field(
        default=None,
        description="Search index file (derived, rebuildable); default: beside the store.",
    )
    host: str = Field(default="127.0.0.1", description="Address the server listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port the server listens on.")

    @field_validator("base_iri")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def base(self) -> str:
        """The effective base IRI, without a trailing slash."""
        return self.base_iri or f"http://{self.host}:{self.port}"

    @property
    def in_memory(self) -> bool:
        return str(self.store) == ":memory:"

    @property
    def index_path(self) -> Path | None:
        """Where the search index lives; None keeps it in memory (with an in-memory store)."""
        if self.index is not None:
            return self.index
        if self.in_memory:
            return None
        return self.store.with_name(self.store.name + ".search.sqlite")

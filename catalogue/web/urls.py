"""The one URL builder: every link the site makes comes from here."""

from __future__ import annotations

from urllib.parse import quote, urlencode


class Urls:
    def __init__(self, base: str) -> None:
        self.base = base
        self.id_prefix = f"{base}/id/"

    def home(self) -> str:
        return "/"

    def graphs(self) -> str:
        return "/graphs"

    def static(self, path: str) -> str:
        return f"/static/{path}"

    def resource(self, iri: str, suffix: str | None = None) -> str:
        """The page of any IRI: /doc/... for IRIs we minted, /resource?uri=... otherwise."""
        if iri.startswith(self.id_prefix):
            path = "/doc/" + quote(iri[len(self.id_prefix) :], safe="/:@!$&'()*+,;=-._~")
            return f"{path}.{suffix}" if suffix else path
        name = f"/resource.{suffix}" if suffix else "/resource"
        return f"{name}?{urlencode({'uri': iri})}"

    def minted(self, path: str) -> str:
        """The IRI we minted for a /doc/ or /id/ path."""
        return self.id_prefix + path

    def with_lang(self, path: str, lang: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"{path}{joiner}lang={lang}"

"""Publishers and their bearer tokens: a token is shown once; only its SHA-256 is kept, in a JSON
file written atomically (temporary file + rename) in the publishing directory."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from threading import Lock

from catalogue.errors import InputError, Unauthorized
from catalogue.publish.files import write_atomically

FILE = "publishers.json"


@dataclass(frozen=True)
class Publisher:
    organisation: str  # the organisation IRI that owns what this token writes
    token_sha256: str
    created: str
    label: str = ""


class Publishers:
    """The registry of publisher tokens kept in `folder/publishers.json`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE
        self._lock = Lock()

    def add(self, organisation: str, *, label: str = "") -> str:
        """Register a new token for an organisation; returns the token (the only time it exists)."""
        if not organisation.startswith(("http://", "https://", "urn:")):
            raise InputError(f"{organisation!r} is not an organisation IRI (http(s):// or urn:)")
        token = secrets.token_urlsafe(32)
        record = Publisher(organisation, _hash(token), datetime.now(UTC).isoformat(), label)
        with self._lock:
            self._write([*self.all(), record])
        return token

    def all(self) -> list[Publisher]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return []
        return [Publisher(**entry) for entry in data.get("publishers", [])]

    def authenticate(self, authorization: str | None) -> Publisher:
        """Whose `Authorization: Bearer TOKEN` header this is; Unauthorized if nobody's."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("this needs an 'Authorization: Bearer TOKEN' header "
                               "(get a token with `catalogue publisher add ORG_IRI`)")
        wanted = _hash(token.strip())
        for publisher in self.all():
            if secrets.compare_digest(publisher.token_sha256, wanted):
                return publisher
        raise Unauthorized("unknown token")

    def _write(self, publishers: list[Publisher]) -> None:
        body = json.dumps({"publishers": [asdict(p) for p in publishers]}, indent=2)
        write_atomically(self.path, body.encode("utf-8"))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

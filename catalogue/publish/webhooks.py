"""Webhooks: a publisher registers a URL (optionally for one publisher, begrippenkader or
resource), and every new version of a graph that matches is POSTed there as a small JSON change
event, signed with the hook's secret (HMAC-SHA256 of the body, in `X-Catalogue-Signature:
sha256=<hex>`, as GitHub signs its webhooks), in a thread of its own, retried with back-off.

Deliveries go through the one fetch client (catalogue/fetch.py): public addresses only unless
the `webhooks_allow_private_addresses` setting says otherwise, no redirects followed, a short
deadline. Hooks are kept in `webhooks.json` in the publishing folder (mode 0600: it holds the
secrets), written atomically."""

from __future__ import annotations

import hashlib
import heapq
import hmac
import ipaddress
import json
import logging
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from catalogue.errors import AddressNotPublic, CatalogueError, InputError, NotFound
from catalogue.fetch import PUBLIC_ONLY, AddressPolicy, checked_url, fetch
from catalogue.publish.feeds import Change, Changes
from catalogue.publish.files import write_atomically
from catalogue.publish.history import Version

log = logging.getLogger("catalogue.webhooks")

# Seconds before each try: at once, then after 5 s, 30 s, 2 min and 10 min.
BACKOFF = (0.0, 5.0, 30.0, 120.0, 600.0)
TIMEOUT = 10.0  # seconds a delivery may take, connection and answer included
MAX_HOOKS = 50  # per publisher
ABOUT = ("publisher", "kader", "resource")


@dataclass(frozen=True)
class Webhook:
    id: str
    owner: str  # the organisation whose token registered it
    url: str
    secret: str
    about: dict[str, str] = field(default_factory=dict)  # at most one of ABOUT
    created: str = ""

    def public(self) -> dict[str, object]:
        """What the API shows of it (never the secret)."""
        return {"id": self.id, "url": self.url, "about": self.about, "created": self.created}

    def wants(self, change: Change) -> bool:
        if "publisher" in self.about:
            return change.version.by == self.about["publisher"]
        if "kader" in self.about:
            return self.about["kader"] in change.schemes | change.touched
        if "resource" in self.about:
            return self.about["resource"] in change.touched
        return True


@dataclass(order=True)
class _Delivery:
    due: float
    attempt: int
    hook_id: str = field(compare=False)
    body: bytes = field(compare=False)
    delivery: str = field(compare=False)


class Webhooks:
    def __init__(self, folder: Path, changes: Changes, *,
                 policy: AddressPolicy = PUBLIC_ONLY, backoff: tuple[float, ...] = BACKOFF,
                 timeout: float = TIMEOUT) -> None:
        self.path = folder / "webhooks.json"
        self.changes = changes
        self.policy = policy
        self.backoff = backoff
        self.timeout = timeout
        self._lock = threading.Lock()
        self._due: list[_Delivery] = []
        self._wake = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None
        self.delivered = 0  # deliveries answered 2xx (for tests and logs)
        self.given_up = 0
        self.refused = 0  # deliveries to an address the policy refuses (never tried again)

    # -- registration ----------------------------------------------------------------------

    def _may_reach(self, host: str, port: int) -> bool:
        """Whether a delivery could go to this host, as far as its name says: an address
        written out, or localhost (a name is resolved again at every delivery, where the
        policy holds whatever it resolves to)."""
        name = host.strip("[]").lower()
        if name == "localhost" or name.endswith(".localhost"):
            name = "127.0.0.1"
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return True
        return self.policy.allows(address, port)

    def add(self, owner: str, url: str, *, secret: str | None = None,
            about: dict[str, str] | None = None) -> Webhook:
        """A new hook of `owner`; InputError when the URL is no http(s) URL or `about` names
        more than one of publisher, kader, resource."""
        try:
            parsed = checked_url(url)
        except CatalogueError as exc:
            raise InputError(f"url: {exc}") from None
        if parsed.userinfo:
            raise InputError("url: a user name or password in the URL would go to every "
                             "delivery's logs; the signature (X-Catalogue-Signature) tells "
                             "your receiver the delivery is ours")
        if not self._may_reach(parsed.host, parsed.port or (443 if parsed.scheme == 'https'
                                                              else 80)):
            raise InputError(f"url: {parsed.host} is not a public address; deliveries go to "
                             "public addresses only on this catalogue")
        about = {key: value for key, value in (about or {}).items() if value}
        if set(about) - set(ABOUT) or len(about) > 1:
            raise InputError(f"about: at most one of {', '.join(ABOUT)}")
        hook = Webhook(id=secrets.token_hex(8), owner=owner, url=url,
                       secret=secret or secrets.token_urlsafe(24), about=about,
                       created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        with self._lock:
            hooks = self._read()
            if sum(1 for h in hooks if h.owner == owner) >= MAX_HOOKS:
                raise InputError(f"{owner} has {MAX_HOOKS} webhooks already; remove one first")
            self._write([*hooks, hook])
        return hook

    def of(self, owner: str) -> list[Webhook]:
        with self._lock:
            return [hook for hook in self._read() if hook.owner == owner]

    def remove(self, owner: str, hook_id: str) -> None:
        with self._lock:
            hooks = self._read()
            kept = [h for h in hooks if not (h.id == hook_id and h.owner == owner)]
            if len(kept) == len(hooks):
                raise NotFound(f"{owner} has no webhook {hook_id}")
            self._write(kept)

    # -- delivery --------------------------------------------------------------------------

    def published(self, graph: str, version: Version) -> None:
        """Queue the event of a new version for every hook that wants it (Publishing calls
        this after each write; it never raises into the write)."""
        try:
            change = self.changes.change(graph, version)
            with self._lock:
                hooks = [hook for hook in self._read() if hook.wants(change)]
                if not hooks:
                    return
                body = json.dumps(_event(change), ensure_ascii=False).encode("utf-8")
                for hook in hooks:
                    heapq.heappush(self._due, _Delivery(time.monotonic(), 0, hook.id, body,
                                                        secrets.token_hex(8)))
                self._start()
                self._wake.notify()
        except Exception:  # a webhook must never fail a publish
            log.exception("could not queue the webhooks of <%s> version %d", graph,
                          version.number)

    def _start(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._deliver_all, name="webhooks",
                                            daemon=True)
            self._worker.start()

    def _deliver_all(self) -> None:
        while True:
            with self._lock:
                while not self._due or self._due[0].due > time.monotonic():
                    wait = self._due[0].due - time.monotonic() if self._due else None
                    self._wake.wait(wait)
                delivery = heapq.heappop(self._due)
                hook = next((h for h in self._read() if h.id == delivery.hook_id), None)
            if hook is None:
                continue  # removed meanwhile
            try:
                if self._send(hook, delivery):
                    continue
            except AddressNotPublic as exc:
                with self._lock:
                    self.refused += 1
                log.warning("webhook %s of %s: %s", hook.id, hook.owner, exc)
                continue
            attempt = delivery.attempt + 1
            with self._lock:
                if attempt < len(self.backoff):
                    heapq.heappush(self._due, _Delivery(
                        time.monotonic() + self.backoff[attempt], attempt, hook.id,
                        delivery.body, delivery.delivery))
                else:
                    self.given_up += 1
                    log.warning("webhook %s of %s: gave up after %d tries", hook.id,
                                hook.owner, attempt)

    def _send(self, hook: Webhook, delivery: _Delivery) -> bool:
        signature = hmac.new(hook.secret.encode("utf-8"), delivery.body,
                             hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "User-Agent": "catalogue-webhooks",
                   "X-Catalogue-Event": "graph.version", "X-Catalogue-Delivery": delivery.delivery,
                   "X-Catalogue-Signature": f"sha256={signature}"}
        try:
            answer = fetch(hook.url, method="POST", content=delivery.body, headers=headers,
                           timeout=self.timeout, max_bytes=64 * 1024, follow_redirects=False,
                           read_body=False, policy=self.policy)
        except AddressNotPublic:
            raise
        except CatalogueError as exc:
            log.info("webhook %s: try %d failed: %s", hook.id, delivery.attempt + 1, exc)
            return False
        if 200 <= answer.status < 300:
            with self._lock:
                self.delivered += 1
            return True
        log.info("webhook %s: try %d answered %d", hook.id, delivery.attempt + 1, answer.status)
        return False

    # -- the file ----------------------------------------------------------------------------

    def _read(self) -> list[Webhook]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return []
        return [Webhook(**entry) for entry in data["webhooks"]]

    def _write(self, hooks: list[Webhook]) -> None:
        write_atomically(self.path, json.dumps({"webhooks": [asdict(h) for h in hooks]},
                                               indent=1).encode("utf-8"))


def _event(change: Change) -> dict[str, object]:
    version = change.version
    return {
        "event": "graph.version", "graph": change.graph, "version": version.number,
        "action": version.action, "by": version.by or None, "at": version.at,
        "triples": {"added": change.added, "removed": change.removed},
        "begrippen": [{"change": c.kind, "iri": (c.new or c.old).iri,  # type: ignore[union-attr]
                       "label": (c.new or c.old).label}  # type: ignore[union-attr]
                      for c in change.begrippen],
    }

"""Webhooks: a receiver on loopback gets a signed JSON event for a publish (only when the
setting allows private addresses; off by default), a failing receiver is tried again with
back-off, hooks filter by kader, and only their owner sees or removes them."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient

from catalogue.config import Settings
from catalogue.content import load_bundled
from catalogue.publish import Publishers
from catalogue.publish.feeds import Changes
from catalogue.publish.history import History
from catalogue.publish.webhooks import Webhooks
from catalogue.store import EmbeddedStore
from catalogue.web.app import create_app
from tests.conftest import BASE
from tests.loopback import LoopbackPorts, loopback
from tests.web.test_feeds import KADER, KADER_GRAPH, kader
from tests.web.test_front import wait_for
from tests.web.test_publish import ORG_A, ORG_B, auth, dataset

SECRET = "a-shared-secret-of-the-receiver"


class Receiver(BaseHTTPRequestHandler):
    """Keeps what it is sent; answers 500 to the first `failures` deliveries."""

    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    failures: ClassVar[int] = 0
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with Receiver.lock:
            if Receiver.failures > 0:
                Receiver.failures -= 1
                status = 500
            else:
                Receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = 204
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received, Receiver.failures = [], 0
    with loopback(Receiver) as url:
        yield url


def site(tmp_path: Path, *, allow_private: bool) -> tuple[TestClient, dict[str, str]]:
    settings = Settings(store=Path(":memory:"), base_iri=BASE, publish_dir=tmp_path,
                        webhooks_allow_private_addresses=allow_private)
    store = EmbeddedStore()
    load_bundled(store, base=BASE)
    publishers = Publishers(tmp_path)
    tokens = {"A": publishers.add(ORG_A), "B": publishers.add(ORG_B)}
    return TestClient(create_app(settings, store=store)), tokens


def test_a_receiver_on_loopback_gets_a_signed_event_for_a_publish(
    tmp_path: Path, receiver: str,
) -> None:
    client, tokens = site(tmp_path, allow_private=True)
    with client:
        made = client.post("/api/webhooks", json={"url": receiver + "/hook", "secret": SECRET},
                           headers=auth(tokens["B"], "application/json"))
        assert made.status_code == 201, made.text
        assert "secret" not in made.json()  # the receiver chose it
        put = client.put("/store", params={"graph": KADER_GRAPH}, content=kader("Een plek."),
                         headers=auth(tokens["A"]))
        assert put.status_code in (200, 201), put.text
        assert wait_for(lambda: len(Receiver.received) == 1, 30), "no event arrived"
    headers, body = Receiver.received[0]
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-catalogue-signature"] == f"sha256={expected}"
    assert headers["content-type"] == "application/json"
    event = json.loads(body)
    assert event["graph"] == KADER_GRAPH
    assert event["version"] == 1
    assert event["by"] == ORG_A
    assert {b["label"] for b in event["begrippen"]} == {"parkeerplaats", "parkeervergunning"}


def test_loopback_receivers_are_refused_unless_the_setting_allows_them(
    tmp_path: Path, receiver: str,
) -> None:
    """Refused when registered (they were accepted, 201, and every delivery then refused),
    and so is a URL with a user name and password in it."""
    client, tokens = site(tmp_path, allow_private=False)
    with client:
        for url in (receiver + "/hook", "http://localhost:9/hook", "http://10.1.2.3/hook",
                    "http://[::1]/hook", "https://user:pw@hooks.example.nl/hook"):
            answer = client.post("/api/webhooks", json={"url": url, "secret": SECRET},
                                 headers=auth(tokens["A"], "application/json"))
            assert answer.status_code == 400, (url, answer.text)
            assert answer.json()["error"].startswith("url: ")
        webhooks: Webhooks = client.app.state.webhooks  # type: ignore[attr-defined]
        assert webhooks.of(ORG_A) == []
        client.put("/store", params={"graph": KADER_GRAPH}, content=kader("Een plek."),
                   headers=auth(tokens["A"]))
        assert webhooks.delivered == 0
    assert Receiver.received == []


def test_a_failing_receiver_is_tried_again_with_back_off(tmp_path: Path, receiver: str) -> None:
    Receiver.failures = 2
    hooks = Webhooks(tmp_path, Changes(History(tmp_path)), policy=LoopbackPorts(receiver),
                     backoff=(0.0, 0.2, 0.4, 0.8))
    hooks.add(ORG_A, receiver + "/hook", secret=SECRET)
    history = History(tmp_path)
    version = history.record(KADER_GRAPH, [], at="2026-12-05T01:00:00+00:00", by=ORG_A,
                             action="put")
    hooks.published(KADER_GRAPH, version)
    assert wait_for(lambda: hooks.delivered == 1, 30)
    assert Receiver.failures == 0  # two tries failed before the third got through
    assert len(Receiver.received) == 1


def test_hooks_filter_by_kader_and_belong_to_their_owner(tmp_path: Path, receiver: str) -> None:
    client, tokens = site(tmp_path, allow_private=True)
    with client:
        made = client.post("/api/webhooks", json={"url": receiver, "kader": KADER},
                           headers=auth(tokens["B"], "application/json"))
        assert made.status_code == 201
        hook_id, secret = made.json()["id"], made.json()["secret"]  # made for us, shown once
        assert len(secret) >= 24
        listed = client.get("/api/webhooks", headers=auth(tokens["B"])).json()
        assert [h["id"] for h in listed] == [hook_id]
        assert "secret" not in listed[0]
        assert client.get("/api/webhooks", headers=auth(tokens["A"])).json() == []
        assert client.delete(f"/api/webhooks/{hook_id}",
                             headers=auth(tokens["A"])).status_code == 404
        other = client.put("/store", params={"graph": f"{BASE}/id/graph/b-datasets"},
                           content=dataset(f"{BASE}/id/dataset/b1", ORG_B),
                           headers=auth(tokens["B"]))
        assert other.status_code in (200, 201)
        client.put("/store", params={"graph": KADER_GRAPH}, content=kader("Een plek."),
                   headers=auth(tokens["A"]))
        assert wait_for(lambda: len(Receiver.received) == 1, 30)
        time.sleep(0.5)  # and no second event (the dataset is not in the kader)
        assert json.loads(Receiver.received[0][1])["graph"] == KADER_GRAPH
        assert len(Receiver.received) == 1
        assert client.delete(f"/api/webhooks/{hook_id}",
                             headers=auth(tokens["B"])).status_code == 204
        bad = client.post("/api/webhooks", json={"url": "ftp://example.org/x"},
                          headers=auth(tokens["B"], "application/json"))
        assert bad.status_code == 400 and "http" in bad.text
        assert client.post("/api/webhooks", json={"url": receiver}).status_code == 401

"""URL checks for MQA's status-code indicators: HEAD with a short timeout, a bounded number of
URLs, a few in parallel, each URL asked once. Used only when asked (`--check-urls`), through the
one outgoing client (catalogue.fetch): public addresses only unless the operator allows more."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from catalogue.errors import FetchError
from catalogue.fetch import PUBLIC_ONLY, AddressPolicy, fetch

USER_AGENT = "catalogue-quality-check"


class UrlChecker:
    """Answers whether a URL responds 2xx/3xx; None when it was not checked (over the bound).
    A URL at an address `policy` refuses does not respond."""

    def __init__(self, *, timeout: float = 5.0, max_urls: int = 1000, workers: int = 8,
                 policy: AddressPolicy = PUBLIC_ONLY) -> None:
        self.timeout = timeout
        self.max_urls = max_urls
        self.workers = workers
        self.policy = policy
        self.results: dict[str, bool] = {}

    def check_all(self, urls: Iterable[str]) -> None:
        """Check the URLs not seen yet, up to the bound, in parallel."""
        room = self.max_urls - len(self.results)
        todo = [u for u in dict.fromkeys(urls) if u not in self.results][:max(room, 0)]
        if not todo:
            return
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for url, ok in zip(todo, pool.map(self._responds, todo), strict=True):
                self.results[url] = ok

    def status(self, url: str) -> bool | None:
        if url not in self.results:
            self.check_all([url])
        return self.results.get(url)

    def _responds(self, url: str) -> bool:
        try:
            status = self._ask("HEAD", url, {})
            if status in (405, 501):  # servers that refuse HEAD: ask for the start
                return self._ask("GET", url, {"Range": "bytes=0-0"}) < 400
        except FetchError:
            return False
        return 200 <= status < 400

    def _ask(self, method: str, url: str, headers: dict[str, str]) -> int:
        # A redirect is an answer: it is not followed (and its target not checked).
        answer = fetch(url, method=method, timeout=self.timeout, max_bytes=0, read_body=False,
                       follow_redirects=False, policy=self.policy,
                       headers={"User-Agent": USER_AGENT, **headers})
        return answer.status

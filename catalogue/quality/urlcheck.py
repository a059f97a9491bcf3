"""URL checks for MQA's status-code indicators: HEAD with a short timeout, a bounded number of
URLs, a few in parallel, each URL asked once. Used only when asked (`--check-urls`)."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import httpx

USER_AGENT = "catalogue-quality-check"


class UrlChecker:
    """Answers whether a URL responds 2xx/3xx; None when it was not checked (over the bound)."""

    def __init__(self, *, timeout: float = 5.0, max_urls: int = 1000, workers: int = 8) -> None:
        self.timeout = timeout
        self.max_urls = max_urls
        self.workers = workers
        self.results: dict[str, bool] = {}

    def check_all(self, urls: Iterable[str]) -> None:
        """Check the URLs not seen yet, up to the bound, in parallel."""
        room = self.max_urls - len(self.results)
        todo = [u for u in dict.fromkeys(urls) if u not in self.results][:max(room, 0)]
        if not todo:
            return
        with httpx.Client(timeout=self.timeout, follow_redirects=False,
                          headers={"User-Agent": USER_AGENT}) as client, \
                ThreadPoolExecutor(max_workers=self.workers) as pool:
            for url, ok in zip(todo, pool.map(lambda u: _responds(client, u), todo),
                               strict=True):
                self.results[url] = ok

    def status(self, url: str) -> bool | None:
        if url not in self.results:
            self.check_all([url])
        return self.results.get(url)


def _responds(client: httpx.Client, url: str) -> bool:
    if not url.startswith(("http://", "https://")):
        return False
    try:
        response = client.head(url)
        if response.status_code in (405, 501):  # servers that refuse HEAD: ask for the start
            with client.stream("GET", url, headers={"Range": "bytes=0-0"}) as streamed:
                return streamed.status_code < 400
        return 200 <= response.status_code < 400
    except (httpx.HTTPError, OSError, ValueError):
        return False

"""Publishing: publisher tokens, writes to owned graphs only, validation before writing, history."""

from __future__ import annotations

from catalogue.publish.publishers import Publisher, Publishers
from catalogue.publish.service import Publishing, PublishResult, publishing_dir

__all__ = ["PublishResult", "Publisher", "Publishers", "Publishing", "publishing_dir"]

"""Reading a test client's response whole, streamed (the API's CSV) or not."""

from __future__ import annotations

from typing import Any


def body(response: Any) -> bytes:
    """The response's bytes, joining a streamed body's parts."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content

"""Which peers may say how a request really arrived: trusted reverse proxies.

Behind a TLS-terminating proxy, Jämlik sees plain http from the proxy's address. The
proxy says what the browser used in ``X-Forwarded-Proto`` and who the browser is in
``X-Forwarded-For``. Those headers are believed only from the peers listed in
``JAMLIK_TRUSTED_PROXIES``; from anyone else they are removed before anything reads
them, so nobody can claim https (Django's ``SECURE_PROXY_SSL_HEADER``) or pose as another
client address (the login lockout counts per address).

This is done here, in the first middleware, rather than in the WSGI server, so it holds
the same under gunicorn, waitress or any other server, and in the test client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, MutableMapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Every header through which a peer could claim a scheme, a host or a client address.
FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(peer: str, trusted: Iterable[Network]) -> bool:
    address = _address(peer)
    return address is not None and any(address in network for network in trusted)


def client_address(forwarded_for: str, trusted: Iterable[Network]) -> str | None:
    """The browser's address in an ``X-Forwarded-For`` chain: the right-most entry that is
    not itself a trusted proxy (entries further left were written by the client and can be
    anything). None if the chain holds no usable address."""
    trusted = tuple(trusted)
    for entry in reversed(forwarded_for.split(",")):
        address = _address(entry)
        if address is None:
            return None
        if not any(address in network for network in trusted):
            return str(address)
    return None


def apply_forwarding(meta: MutableMapping[str, Any], trusted: tuple[str, ...]) -> None:
    """Believe or drop the forwarding headers in a WSGI environ / ``request.META``."""
    allowed = networks(trusted)
    if not is_trusted(meta.get("REMOTE_ADDR", ""), allowed):
        for header in FORWARDING_HEADERS:
            meta.pop(header, None)
        return
    forwarded_for = meta.get("HTTP_X_FORWARDED_FOR")
    if forwarded_for:
        client = client_address(forwarded_for, allowed)
        if client:
            meta["REMOTE_ADDR"] = client


class TrustedProxyMiddleware:
    """First in the chain: forwarding headers count only from ``JAMLIK_TRUSTED_PROXIES``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        apply_forwarding(request.META, tuple(settings.JAMLIK_TRUSTED_PROXIES))
        return self.get_response(request)

"""Figures computed from the public table, kept in Django's cache until the next publication.

The kommun profile, its gap blocks and its PDF are built from the protected
public table only (for anonymous readers), so what they compute cannot change
between two publications.  :func:`public_cached` keeps such a result under a
key that holds :func:`~jamlik.indicators.publication.public_version` (it
changes whenever any public table is rebuilt, so a new publication shows at
once) and the active language (the results carry translated words).

Readers who may see staged rows of unpublished imports (``Visibility.sees_staged``)
never read or fill the cache: they are served figures computed afresh.

Results are stored pickled and compressed (zlib, fastest level): one kommun's
profile, gap blocks, gap section and PDF come to about 1.1 MB pickled, mostly
the repeated chart specs and tables, and 0.26 MB compressed, for about 13 ms
once when stored and 2 ms when read; Django's default cache keeps 300 entries
in every worker process.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from jamlik.indicators.publication import public_version
from jamlik.indicators.queries import Visibility

T = TypeVar("T")

#: Seconds a result stays cached: the key follows every publication and import; the
#: timeout bounds how long an edited indicator or area name takes to show.
CACHE_SECONDS = 600


def cache_key(name: str, parts: Iterable[Any], *, version: str | None = None) -> str:
    """The key of ``name``'s result for ``parts`` in the active language and publication."""
    version = public_version() if version is None else version
    state = "|".join(str(p) for p in (*parts, get_language(), version))
    return f"jamlik:{name}:" + hashlib.sha256(state.encode()).hexdigest()


def public_cached(
    name: str,
    parts: Iterable[Any],
    visibility: Visibility | None,
    compute: Callable[[], T],
    *,
    version: str | None = None,
    timeout: int = CACHE_SECONDS,
) -> T:
    """``compute()``, read from the cache when ``visibility`` is the public's (``None``).

    ``parts`` are everything besides the language and the publication that the
    result depends on (the area, the choices in the URL); ``version`` is
    :func:`~jamlik.indicators.publication.public_version` when the caller has it
    already (one query saved per use).
    """
    if visibility is not None and visibility.sees_staged:
        return compute()
    key = cache_key(name, parts, version=version)
    packed = cache.get(key)
    if packed is not None:
        return pickle.loads(zlib.decompress(packed))  # noqa: S301 - written by this module
    found = compute()
    cache.set(key, zlib.compress(pickle.dumps(found, pickle.HIGHEST_PROTOCOL), 1), timeout)
    return found

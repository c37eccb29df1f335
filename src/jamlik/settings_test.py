"""Settings for the test suite: dev mode and a throw-away data folder unless set.

Tests never touch a developer's ``.jamlik`` folder; DATABASE_URL (PostgreSQL in CI)
is honoured when set.
"""

import os
import tempfile

os.environ.setdefault("JAMLIK_MODE", "dev")
os.environ.setdefault("JAMLIK_DATA_DIR", tempfile.mkdtemp(prefix="jamlik-test-"))

from jamlik.settings import *  # noqa: E402,F403

"""One settings object, read from the environment by the web app, the CLI and migrations.

Every setting is documented in ``SETTINGS_DOC`` (and in the README); a test checks that
each field of :class:`Config` is documented there.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SETTINGS_DOC: dict[str, str] = {
    "JAMLIK_DATA_DIR": "Folder for the SQLite database, the generated secret key, uploads and "
    "county framework overrides. Default: ./.jamlik",
    "DATABASE_URL": "Database URL (dj-database-url form), e.g. postgres://user:pw@host/db. "
    "Default: SQLite file jamlik.sqlite3 in the data folder.",
    "SECRET_KEY": "Django secret key. Required in production mode; generated and kept in the "
    "data folder for local runs.",
    "JAMLIK_MODE": "production, demo or dev. Default: production. demo and dev turn DEBUG on "
    "and relax cookie security for http://127.0.0.1.",
    "JAMLIK_ALLOWED_HOSTS": "Comma-separated host names the server answers to. "
    "Default: localhost,127.0.0.1",
    "JAMLIK_CSRF_TRUSTED_ORIGINS": "Comma-separated origins trusted for CSRF "
    "(https://jamlik.example.se). Default: none.",
    "JAMLIK_EMAIL_URL": "Outgoing mail server for reminders, smtp://user:password@host:587 "
    "(STARTTLS) or smtps://user:password@host:465 (TLS). Default: none; messages are "
    "printed to the console instead of sent.",
    "JAMLIK_EMAIL_FROM": "Sender address of reminders. Default: jamlik@localhost",
    "JAMLIK_TRUSTED_PROXIES": "Comma-separated addresses or networks (127.0.0.1, 10.0.0.0/8) "
    "of the reverse proxies whose X-Forwarded-Proto and X-Forwarded-For are believed; from "
    "any other peer those headers are dropped. Default: 127.0.0.1,::1 (a proxy on the same "
    "machine). Empty: believe no one.",
    "JAMLIK_KOLADA_URL": "Root of the Kolada API that `jamlik fetch kolada` calls (a mirror, "
    "a proxy or a local test server). Default: https://api.kolada.se/v3",
    "JAMLIK_PXWEB_URL": "Base URL that PxWeb table paths are resolved against "
    "(`jamlik fetch pxweb tables/TAB638`); absolute table URLs are used as given. "
    "Default: none.",
    "JAMLIK_IMPORT_MAX_MB": "Largest file one import may be, in MB (CSV or XLSX as uploaded). "
    "Default: 200",
    "JAMLIK_IMPORT_MAX_ROWS": "Most data rows one imported table may have. Default: 2000000",
    "JAMLIK_IMPORT_MAX_XLSX_MB": "Largest size an XLSX workbook may unpack to, in MB, checked "
    "from the zip's directory before anything is unpacked. Default: 300",
    "JAMLIK_IMPORT_MAX_RATIO": "Highest compression ratio of any part of an XLSX workbook "
    "(real workbooks stay well below; zip bombs are far above). Default: 100",
}


class ConfigError(RuntimeError):
    """A setting is missing or malformed."""


DEFAULT_KOLADA_URL = "https://api.kolada.se/v3"

# A TLS proxy on the same machine is the documented set-up (docs/deployment.md).
DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")


def parse_trusted_proxies(value: str) -> tuple[str, ...]:
    """``"127.0.0.1, 10.0.0.0/8"`` -> the normalised networks; a bad entry is refused."""
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            network = ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigError(
                "JAMLIK_TRUSTED_PROXIES must be comma-separated IP addresses or networks "
                f"(127.0.0.1, 10.0.0.0/8); {item!r} is neither."
            ) from None
        networks.append(str(network.network_address if network.num_addresses == 1 else network))
    return tuple(networks)


@dataclass(frozen=True)
class Config:
    data_dir: Path
    database_url: str
    secret_key: str
    mode: str
    allowed_hosts: tuple[str, ...]
    csrf_trusted_origins: tuple[str, ...]
    email: EmailConfig | None = None
    email_from: str = "jamlik@localhost"
    trusted_proxies: tuple[str, ...] = DEFAULT_TRUSTED_PROXIES
    kolada_url: str = DEFAULT_KOLADA_URL
    pxweb_url: str = ""
    import_max_mb: float = 200
    import_max_rows: int = 2_000_000
    import_max_xlsx_mb: float = 300
    import_max_ratio: int = 100

    @property
    def debug(self) -> bool:
        return self.mode in {"demo", "dev"}

    @property
    def production(self) -> bool:
        return self.mode == "production"


MODES = ("production", "demo", "dev")


@dataclass(frozen=True)
class EmailConfig:
    """An SMTP server from ``JAMLIK_EMAIL_URL``."""

    host: str
    port: int
    user: str
    password: str = dataclasses.field(repr=False, default="")
    use_tls: bool = False  # STARTTLS (smtp://)
    use_ssl: bool = False  # implicit TLS (smtps://)


def parse_email_url(url: str) -> EmailConfig:
    """``smtp://user:pw@host:587`` (STARTTLS) or ``smtps://user:pw@host:465``.

    Plain unencrypted SMTP is not offered: reminders carry names and addresses.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(
            "JAMLIK_EMAIL_URL must look like smtp://user:password@host:587 or "
            f"smtps://user:password@host:465; got {parts.scheme or 'no'} scheme."
        )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError:
        raise ConfigError("JAMLIK_EMAIL_URL has a port that is not a number.") from None
    return EmailConfig(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=parts.scheme == "smtp",
        use_ssl=parts.scheme == "smtps",
    )


def _positive(env: dict[str, str], name: str, default: float, kind: type = float) -> float:
    """A positive number from the environment, or a :class:`ConfigError` naming the setting."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        number = kind(text)
    except ValueError:
        number = 0
    if not number > 0:
        raise ConfigError(f"{name} must be a positive {kind.__name__}; got {text!r}.")
    return number


def _secret_key(data_dir: Path, mode: str, env: dict[str, str]) -> str:
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    if mode == "production":
        raise ConfigError(
            "SECRET_KEY must be set in production mode (JAMLIK_MODE=production). "
            "For a local run use JAMLIK_MODE=demo, or run `jamlik demo`."
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def load_config(env: dict[str, str] | None = None) -> Config:
    """Read the configuration from ``env`` (default: ``os.environ``)."""
    env = dict(os.environ if env is None else env)
    mode = env.get("JAMLIK_MODE", "production")
    if mode not in MODES:
        raise ConfigError(f"JAMLIK_MODE must be one of {', '.join(MODES)}; got {mode!r}.")
    data_dir = Path(env.get("JAMLIK_DATA_DIR", ".jamlik")).resolve()
    database_url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'jamlik.sqlite3'}"
    hosts = tuple(
        h.strip() for h in env.get("JAMLIK_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
    )
    origins = tuple(
        o.strip() for o in env.get("JAMLIK_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
    )
    return Config(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=_secret_key(data_dir, mode, env),
        mode=mode,
        allowed_hosts=hosts,
        csrf_trusted_origins=origins,
        email=parse_email_url(env["JAMLIK_EMAIL_URL"]) if env.get("JAMLIK_EMAIL_URL") else None,
        email_from=env.get("JAMLIK_EMAIL_FROM") or "jamlik@localhost",
        trusted_proxies=parse_trusted_proxies(env["JAMLIK_TRUSTED_PROXIES"])
        if "JAMLIK_TRUSTED_PROXIES" in env
        else DEFAULT_TRUSTED_PROXIES,
        kolada_url=env.get("JAMLIK_KOLADA_URL", "").strip() or DEFAULT_KOLADA_URL,
        pxweb_url=env.get("JAMLIK_PXWEB_URL", "").strip(),
        import_max_mb=_positive(env, "JAMLIK_IMPORT_MAX_MB", 200),
        import_max_rows=int(_positive(env, "JAMLIK_IMPORT_MAX_ROWS", 2_000_000, int)),
        import_max_xlsx_mb=_positive(env, "JAMLIK_IMPORT_MAX_XLSX_MB", 300),
        import_max_ratio=int(_positive(env, "JAMLIK_IMPORT_MAX_RATIO", 100, int)),
    )

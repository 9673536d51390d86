"""Sink URLs: parsing, the options every sink shares, secrets by reference, and redaction.

A sink URL is also the sink's name and its outbox key, so it must never hold a secret: tokens
and HMAC keys are named by reference (``token_env=VAR``, ``token_file=PATH``,
``secret_env=VAR``, ``secret_file=PATH``) and read when the sink is built. A URL that carries a
secret in clear (``token=``, a password in the userinfo) is refused, because it would end up in
shell history, process listings and the state database.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from cloudposture.endpoints import is_loopback
from cloudposture.model import ConfigurationError, Status
from cloudposture.numbers import bounded_number

SECRET_KINDS = ("token", "secret")
_CLEAR_SECRET_KEYS = frozenset(
    {"token", "secret", "password", "key", "api_key", "apikey", "access_key", "secret_key"}
)
COMMON_OPTIONS = frozenset({"status"})
REDACTED = "***"
MAX_SECONDS = 3600.0
"""The largest time option a sink takes (timeout, ack_timeout): an hour, not forever."""


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value replaced, on one line (safe for logs and errors)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return " ".join(text.split())


def clip(text: str, secrets: Iterable[str], limit: int = 300) -> str:
    """Redact, then cut to ``limit`` characters: in that order, because a cut made first can
    split a secret so that its remaining prefix no longer matches and is shown."""
    return redact(text, secrets)[:limit]


@dataclass(frozen=True)
class SinkUrl:
    """A parsed sink URL: ``scheme://host[:port][/path][?options]``."""

    scheme: str
    host: str
    port: int | None
    path: str
    options: Mapping[str, str]

    @classmethod
    def parse(cls, url: str) -> SinkUrl:
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as err:
            raise ConfigurationError(f"invalid sink URL: {err}") from None
        scheme = parts.scheme.lower()
        if not scheme or not parts.hostname:
            raise ConfigurationError(
                "invalid sink URL: expected SCHEME://HOST..., e.g. splunk+https://hec.example.com:8088"
            )
        if parts.username is not None or parts.password is not None:
            raise ConfigurationError(
                f"{scheme} sink URL must not carry credentials: put the secret in an environment "
                "variable and name it with token_env= (or token_file=)"
            )
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        keys = [k for k, _ in pairs]
        clear = sorted(set(keys) & _CLEAR_SECRET_KEYS)
        if clear:
            raise ConfigurationError(
                f"{scheme} sink URL has '{clear[0]}=' in clear: pass {clear[0]}_env=VARIABLE or "
                f"{clear[0]}_file=PATH instead, so the secret stays out of logs and history"
            )
        duplicated = sorted({k for k in keys if keys.count(k) > 1})
        if duplicated:
            raise ConfigurationError(f"{scheme} sink URL repeats option '{duplicated[0]}'")
        host = parts.hostname
        return cls(scheme=scheme, host=host, port=port, path=parts.path, options=dict(pairs))

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port is not None else host

    def canonical(self) -> str:
        """The stable display form (sorted options): the sink's name and outbox key."""
        query = urlencode(sorted(self.options.items()), safe="/:,")
        return f"{self.scheme}://{self.netloc}{quote(self.path, safe='/')}" + (
            f"?{query}" if query else ""
        )

    def check_options(self, allowed: Iterable[str]) -> None:
        """Refuse options the sink does not know (a typo must not be silently ignored)."""
        known = COMMON_OPTIONS | set(allowed)
        unknown = sorted(set(self.options) - known)
        if unknown:
            raise ConfigurationError(
                f"{self.scheme} sink does not know option '{unknown[0]}' "
                f"(known: {', '.join(sorted(known))})"
            )

    def option(self, name: str, default: str = "") -> str:
        return self.options.get(name, default)

    def choice(self, name: str, choices: Iterable[str], default: str) -> str:
        value = self.options.get(name, default)
        allowed = list(choices)
        if value not in allowed:
            raise ConfigurationError(
                f"{self.scheme} sink option {name}={value}: choose from {', '.join(allowed)}"
            )
        return value

    def number(self, name: str, default: float) -> float:
        raw = self.options.get(name)
        if raw is None:
            return default
        value = bounded_number(raw, f"{self.scheme} sink option {name}", 0, MAX_SECONDS)
        if value <= 0:
            raise ConfigurationError(f"{self.scheme} sink option {name}={raw}: must be positive")
        return value

    def flag(self, name: str) -> bool:
        return self.choice(name, ("true", "false"), "false") == "true"

    def file_option(self, name: str) -> str | None:
        """A path option (CA file, client cert), checked to exist now rather than at send."""
        path = self.options.get(name)
        if path is not None and not Path(path).is_file():
            raise ConfigurationError(f"{self.scheme} sink option {name}: no such file {path}")
        return path

    def optional_secret(self, kind: str) -> str | None:
        """The ``token`` or ``secret`` named by ``KIND_env=`` or ``KIND_file=``, if any."""
        env, file = self.options.get(f"{kind}_env"), self.options.get(f"{kind}_file")
        if env is not None and file is not None:
            raise ConfigurationError(
                f"{self.scheme} sink: give {kind}_env or {kind}_file, not both"
            )
        if env is not None:
            value = os.environ.get(env, "")
            if not value:
                raise ConfigurationError(
                    f"{self.scheme} sink: environment variable {env} (from {kind}_env) is not set"
                )
            return value
        if file is not None:
            try:
                value = Path(file).read_text(encoding="utf-8").strip()
            except OSError as err:
                raise ConfigurationError(
                    f"{self.scheme} sink: cannot read {kind}_file {file}: {err.strerror}"
                ) from None
            if not value:
                raise ConfigurationError(f"{self.scheme} sink: {kind}_file {file} is empty")
            return value
        return None

    def required_secret(self, kind: str) -> str:
        value = self.optional_secret(kind)
        if value is None:
            raise ConfigurationError(
                f"{self.scheme} sink needs a {kind}: add {kind}_env=VARIABLE or {kind}_file=PATH"
            )
        return value

    def require_loopback(self) -> None:
        """Plain-text transports (``+http``, ``+tcp``) are for local receivers only."""
        if not is_loopback(self.host):
            raise ConfigurationError(
                f"{self.scheme} sends in clear text and is accepted only for loopback hosts "
                f"(localhost, 127.0.0.1, ::1), not {self.host}: use the TLS variant"
            )

    def statuses(self) -> frozenset[Status]:
        """``status=all`` (default) or a comma list such as ``status=fail,error``."""
        raw = self.options.get("status", "all").strip().lower()
        if raw == "all":
            return frozenset(Status)
        chosen: set[Status] = set()
        for word in raw.split(","):
            try:
                chosen.add(Status(word.strip().upper()))
            except ValueError:
                names = ", ".join(s.value.lower() for s in Status)
                raise ConfigurationError(
                    f"{self.scheme} sink option status={raw}: use all or a comma list of {names}"
                ) from None
        return frozenset(chosen)

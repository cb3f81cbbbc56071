"""Where the SoftOne GO credentials come from, and where they are kept.

Each field is taken from the first place that has it:

1. options on the command line (never the password: it is prompted for);
2. the environment: ``SOFTONE_COMPANY_API_KEY``, ``SOFTONE_CONNECT_API_KEY``,
   and either ``SOFTONE_TOKEN`` or ``SOFTONE_LICENSE``, ``SOFTONE_USERNAME`` and
   ``SOFTONE_PASSWORD``;
3. the user's config file (:func:`config_path`), with the password in the OS
   keyring where one is available, else in the file, readable only by its owner.

Every secret is registered with :mod:`converter.erp.redact` as soon as it is loaded.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import SplitResult, urlsplit, urlunsplit

from converter.erp.redact import register_secret
from converter.errors import CredentialsError, SettingsError, system_reason
from converter.fileio import write_atomically
from converter.paths import config_path

KEYRING_SERVICE = "offer-converter SoftOne GO"
DEFAULT_API_URL = "https://apiexternal.softone.se"

ENV = {
    "api_url": "SOFTONE_API_URL",
    "company_api_key": "SOFTONE_COMPANY_API_KEY",
    "connect_api_key": "SOFTONE_CONNECT_API_KEY",
    "token": "SOFTONE_TOKEN",
    "license": "SOFTONE_LICENSE",
    "username": "SOFTONE_USERNAME",
    "password": "SOFTONE_PASSWORD",
}
_FILE_KEYS = ("api_url", "company_api_key", "connect_api_key", "license", "username", "password")
# set when the details were kept without a working login (SoftOne GO could not be
# reached): the next drop tests them before it uploads
UNTESTED = "untested"


@dataclass(frozen=True)
class Credentials:
    """API keys plus either a token or a login (license, user name, password)."""

    company_api_key: str = field(repr=False)
    connect_api_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)
    license: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def can_login(self) -> bool:
        """True when a new token can be fetched with Login/Token."""
        return bool(self.license and self.username and self.password)

    def register(self) -> Credentials:
        """Register every secret for redaction; returns self."""
        for secret in (
            self.company_api_key,
            self.connect_api_key,
            self.token,
            self.license,
            self.password,
        ):
            register_secret(secret)
        return self


def read_config(path: Path | None = None) -> dict[str, str]:
    """The config file's settings ({} when there is none)."""
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise CredentialsError("config_not_toml", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError("config_unreadable", path=path, reason=system_reason(exc)) from exc
    return {k: str(v) for k, v in data.items() if k in (*_FILE_KEYS, UNTESTED) and v}


def resolve_api_url(
    cli_value: str | None, env: Mapping[str, str] = os.environ, path: Path | None = None
) -> str:
    """``--api-url``, else ``SOFTONE_API_URL``, else the config file, else the default;
    normalised (:func:`normalise_api_url`). Raises :class:`SettingsError`."""
    return normalise_api_url(
        cli_value or env.get(ENV["api_url"]) or read_config(path).get("api_url") or DEFAULT_API_URL
    )


_DEFAULT_PORTS = {"http": 80, "https": 443}
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def normalise_api_url(url: str) -> str:
    """The API address in one spelling: scheme and host in lower case, without the
    default port, the trailing slash, a query or a fragment, so ``HTTP://Host:80/``
    and ``http://host`` name the same SoftOne GO.

    An address with a user name or password in it is refused (they belong in the
    config file or the keyring, and an address is shown and stored in many
    places), and so is one that is not http(s) with a host.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise SettingsError("api_url_invalid") from None
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise SettingsError("api_url_has_credentials")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        raise SettingsError("api_url_invalid")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit(SplitResult(scheme, netloc, path, "", ""))


def target_key(target: str) -> str:
    """A target (``address#digest``, or ``sandbox``) in the one spelling it has now, so a
    record written by an earlier version (an upper-case host, a default port, even user
    info in the address) still names the SoftOne GO it was uploaded to."""
    address, mark, digest = target.rpartition("#")
    if not mark:
        return target
    try:
        parts = urlsplit(address.strip())
        netloc = parts.netloc.rpartition("@")[2]
        return f"{normalise_api_url(urlunsplit(parts._replace(netloc=netloc)))}#{digest}"
    except (SettingsError, ValueError):
        return target


def check_proxies(env: Mapping[str, str] = os.environ) -> None:
    """Refuse a proxy address with a user name or password in it (httpx would use it,
    and an exception can quote it); raises :class:`SettingsError` naming the variable."""
    for name, value in env.items():
        if name.upper() not in PROXY_VARIABLES or not value:
            continue
        try:
            netloc = urlsplit(value if "://" in value else f"http://{value}").netloc
        except ValueError:
            continue
        if "@" in netloc:
            raise SettingsError("proxy_has_credentials", variable=name)


def resolve_credentials(
    cli: Mapping[str, str | None],
    env: Mapping[str, str] = os.environ,
    path: Path | None = None,
    prompt_password: Callable[[], str] | None = None,
) -> Credentials:
    """Gather credentials field by field from the command line, the environment, the file.

    Raises :class:`CredentialsError` naming what is missing and where to put it.
    """
    path = path or config_path()
    stored = read_config(path)
    places: list[Mapping[str, str | None]] = [
        {k: v for k, v in cli.items() if k != "password"},
        {k: env.get(var) for k, var in ENV.items()},
        stored,
    ]

    def first(name: str) -> str | None:
        return next((str(p[name]) for p in places if p.get(name)), None)

    values = {name: first(name) for name in ENV if name != "api_url"}
    if not values["password"] and values["username"] and values["license"]:
        values["password"] = _keyring_get(values["username"], values["license"])
    if not values["password"] and values["username"] and not values["token"] and prompt_password:
        values["password"] = prompt_password()
    missing = [name for name in ("company_api_key", "connect_api_key") if not values[name]]
    if not values["token"]:
        missing += [n for n in ("license", "username", "password") if not values[n]]
    if missing:
        options = ", ".join("--" + m.replace("_", "-") for m in missing if m != "password")
        names = ", ".join(ENV[m] for m in missing)
        if options:
            raise CredentialsError("credentials_missing", names=names, options=options, path=path)
        raise CredentialsError("credentials_missing_password", names=names, path=path)
    return Credentials(
        company_api_key=str(values["company_api_key"]),
        connect_api_key=str(values["connect_api_key"]),
        token=values["token"],
        license=values["license"],
        username=values["username"],
        password=values["password"],
    ).register()


def _keyring_get(username: str, license_: str) -> str | None:
    try:
        import keyring  # slow to import, and only needed here

        value: str | None = keyring.get_password(KEYRING_SERVICE, f"{username}@{license_}")
        return value
    except Exception:  # noqa: BLE001 - any keyring failure means "no keyring"
        return None


def _keyring_set(username: str, license_: str, password: str) -> bool:
    """Store the password in the OS keyring; False when there is no working keyring."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{username}@{license_}", password)
        return bool(keyring.get_password(KEYRING_SERVICE, f"{username}@{license_}") == password)
    except Exception:  # noqa: BLE001 - no keyring, a locked one, or a broken one
        return False


def store_credentials(
    creds: Credentials, api_url: str | None = None, path: Path | None = None, tested: bool = True
) -> str:
    """Save credentials to the config file (password to the keyring where possible).

    Returns where the password went: ``"keyring"`` or ``"file"``. The file is
    created readable only by its owner. ``tested=False`` keeps details whose
    login could not be tried (no network), marked so the next drop tests them.
    """
    if not creds.can_login:
        raise CredentialsError("credentials_store_needs_login")
    path = path or config_path()
    assert creds.username and creds.license and creds.password
    where = "keyring" if _keyring_set(creds.username, creds.license, creds.password) else "file"
    data: dict[str, object] = {
        "api_url": api_url,
        "company_api_key": creds.company_api_key,
        "connect_api_key": creds.connect_api_key,
        "license": creds.license,
        "username": creds.username,
        "password": creds.password if where == "file" else None,
        UNTESTED: not tested or None,
    }
    _write_config(path, data)
    return where


def _write_config(path: Path, data: Mapping[str, object]) -> None:
    # JSON strings and booleans are valid TOML, so this writes TOML without a dependency
    text = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in data.items() if v)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        old_umask = os.umask(0o077)
        try:
            write_atomically(path, text.encode("utf-8"))
        finally:
            os.umask(old_umask)
        os.chmod(path, 0o600)
    except OSError as exc:
        raise CredentialsError(
            "credentials_cannot_store", path=path, reason=system_reason(exc)
        ) from exc


def stored_untested(path: Path | None = None) -> bool:
    """True when the stored details were kept without a working login (see ``tested``)."""
    return bool(read_config(path).get(UNTESTED))


def mark_tested(path: Path | None = None) -> None:
    """The stored details logged in: drop the mark :func:`stored_untested` looks for."""
    path = path or config_path()
    stored = read_config(path)
    if stored.pop(UNTESTED, None):
        _write_config(path, stored)


def forget_credentials(path: Path | None = None) -> bool:
    """Remove the stored credentials (file and keyring entry); True if anything was removed."""
    path = path or config_path()
    stored = read_config(path)
    removed = False
    if stored.get("username") and stored.get("license"):
        try:
            import keyring

            keyring.delete_password(KEYRING_SERVICE, f"{stored['username']}@{stored['license']}")
            removed = True
        except Exception:  # noqa: BLE001 - nothing stored there, or no keyring
            pass
    if path.exists():
        path.unlink()
        removed = True
    return removed

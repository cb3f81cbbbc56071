"""``offer-converter sandbox``: run the local SoftOne GO emulator in the foreground.

Salespeople practise uploads against it. The start-up banner prints the
practice details it accepts, the password included: they are the same
well-known values for everyone (``demo``), never real SoftOne GO secrets.
"""

from __future__ import annotations

from pathlib import Path

import click

from converter.cli import lang_option
from converter.cli._common import lang_of
from converter.errors import system_reason
from converter.i18n import Lang, render
from converter.paths import sandbox_state_path
from converter.sandbox.faults import Faults
from converter.sandbox.server import SandboxConfig, SandboxServer
from converter.sandbox.state import SandboxStateError


def default_state_path() -> Path:
    """Where the sandbox keeps its offers between runs when ``--state`` is not given."""
    return sandbox_state_path()


def _describe_faults(faults: Faults, lang: Lang = "en") -> str:
    """One short line naming the active faults, for the start-up banner."""
    parts: list[str] = []
    if faults.latency:
        parts.append(f"latency {faults.latency:g}s")
    if faults.spike_every:
        parts.append(f"+{faults.spike_seconds:g}s every {faults.spike_every} requests")
    if faults.throttle_every:
        parts.append(
            f"429 every {faults.throttle_every} requests (Retry-After {faults.retry_after:g}s)"
        )
    if faults.error_before_every:
        parts.append(f"500 before saving every {faults.error_before_every} uploads")
    if faults.drop_after_save_every:
        parts.append(f"dropped reply after saving every {faults.drop_after_save_every} uploads")
    if faults.error_after_save_every:
        parts.append(f"500 after saving every {faults.error_after_save_every} uploads")
    if faults.token_expiry_after:
        parts.append(f"token refused after {faults.token_expiry_after} uses")
    if faults.lookup_error_every:
        parts.append(f"500 every {faults.lookup_error_every} article/customer look-ups")
    if faults.offer_read_error_every:
        parts.append(f"500 every {faults.offer_read_error_every} offer reads")
    if faults.lookup_stall_every:
        parts.append(
            f"+{faults.spike_seconds:g}s every {faults.lookup_stall_every} article/customer "
            "look-ups"
        )
    return ", ".join(parts) if parts else render("sandbox_no_faults", lang)


_COUNT = click.IntRange(min=0)
_SECONDS = click.FloatRange(min=0)


@click.command("sandbox")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port on 127.0.0.1 (0 = any free port).",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="State file (customers, products, offers). Default: in your user data folder.",
)
@click.option(
    "--seed",
    "seed_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='JSON file with "customers"/"products" lists to add at start.',
)
@click.option("--latency", type=_SECONDS, default=0.0, help="Seconds to wait before every reply.")
@click.option(
    "--error-before",
    type=_COUNT,
    default=0,
    help="Every Nth upload fails with HTTP 500 before anything is saved (0 = off).",
)
@click.option(
    "--error-after-save",
    type=_COUNT,
    default=0,
    help="Every Nth upload is saved, then answered with HTTP 500 (0 = off).",
)
@click.option(
    "--drop-after-save",
    type=_COUNT,
    default=0,
    help="Every Nth upload is saved, then the connection is closed without a reply (0 = off).",
)
@click.option(
    "--throttle",
    type=_COUNT,
    default=0,
    help="Every Nth request gets HTTP 429 with Retry-After (0 = off).",
)
@click.option(
    "--retry-after",
    type=_SECONDS,
    default=1.0,
    show_default=True,
    help="Seconds announced in Retry-After by --throttle.",
)
@click.option(
    "--token-expiry-after",
    type=_COUNT,
    default=0,
    help="A token is refused (401) after N authenticated requests (0 = off).",
)
@click.option(
    "--spike-every",
    type=_COUNT,
    default=0,
    help="Every Nth request waits an extra --spike-seconds (0 = off).",
)
@click.option(
    "--spike-seconds", type=_SECONDS, default=0.0, help="Length of a --spike-every delay."
)
@click.option(
    "--casing",
    type=click.Choice(["camel", "pascal"]),
    default="camel",
    show_default=True,
    help="camel: reply as SoftOne GO does (camelCase keys, null fields left out); "
    "pascal: the vendor document's form (every field, PascalCase).",
)
@lang_option
def sandbox_command(
    port: int,
    state_path: Path | None,
    seed_path: Path | None,
    latency: float,
    error_before: int,
    error_after_save: int,
    drop_after_save: int,
    throttle: int,
    retry_after: float,
    token_expiry_after: int,
    spike_every: int,
    spike_seconds: float,
    casing: str,
) -> None:
    """Run a local practice copy of the SoftOne GO API until Ctrl-C."""
    lang = lang_of(click.get_current_context())
    faults = Faults(
        latency=latency,
        spike_every=spike_every,
        spike_seconds=spike_seconds,
        error_before_every=error_before,
        error_after_save_every=error_after_save,
        drop_after_save_every=drop_after_save,
        throttle_every=throttle,
        retry_after=retry_after,
        token_expiry_after=token_expiry_after,
    )
    state = state_path if state_path is not None else default_state_path()
    config = SandboxConfig(
        port=port,
        state_path=state,
        seed_path=seed_path,
        faults=faults,
        casing="pascal" if casing == "pascal" else "camel",
    )
    try:
        server = SandboxServer(config).bind()
    except SandboxStateError as exc:
        message = render("sandbox_state_unusable", lang, path=exc.path, reason=exc.reason)
        raise click.ClickException(message) from exc
    except OSError as exc:
        message = render("sandbox_cannot_listen", lang, port=port, reason=system_reason(exc))
        raise click.ClickException(message) from exc

    for line in banner(server, state, faults, lang):
        click.echo(line)
    server.serve_forever()
    click.echo(render("sandbox_stopped", lang))


def banner(server: SandboxServer, state: Path, faults: Faults, lang: Lang) -> list[str]:
    """What the sandbox says when it starts: where it runs, and the practice details to use."""
    c = server.credentials
    details = [
        ("setup_company_api_key", c.company_api_key),
        ("setup_connect_api_key", c.connect_api_key),
        ("setup_license", c.license),
        ("setup_username", c.username),
        ("sandbox_password", c.password),  # a practice password, known to everyone: shown
    ]
    return [
        render("sandbox_running", lang, url=server.url),
        render("sandbox_state_file", lang, path=state),
        render("sandbox_credentials", lang),
        *(f"  {render(code, lang)}: {value}" for code, value in details),
        render("sandbox_use", lang, url=server.url),
        render("sandbox_faults", lang, faults=_describe_faults(faults, lang)),
        render("sandbox_stop_hint", lang),
    ]

"""First use: the SoftOne GO details asked for once, tested with Login/Token, stored.

The sandbox runs in the test process with credentials of its own, so every
secret typed in is recognisable and can be looked for in output and logs.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import keyring
import keyring.errors
import pytest
from click.testing import CliRunner, Result
from keyring.backend import KeyringBackend
from keyring.backends import fail
from test_drop import SCRIPT, dropped_files, today_log, user_env

import converter.writeback.workbook as writeback
from converter.cli import cli
from converter.erp.client import check_health
from converter.erp.credentials import KEYRING_SERVICE
from converter.errors import UnreachableError
from converter.i18n import EN, SV
from converter.sandbox import SandboxConfig, SandboxServer
from converter.sandbox.state import seed_document

SECRETS = {
    "company_api_key": "company-Key-5521-xyz",
    "connect_api_key": "connect-Key-8830-abc",
    "license": "LIC-Asa-4471",
    "username": "åsa.lindqvist",
    # ASCII only: the sandbox compares passwords with secrets.compare_digest, which refuses åäö
    "password": "Hemligt-Losen-2026",
}
ANSWERS = "".join(
    SECRETS[k] + "\n" for k in ("company_api_key", "connect_api_key", "license", "username")
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    """A sandbox that only accepts :data:`SECRETS`."""
    state = tmp_path / "sandbox.json"
    document = seed_document()
    document["credentials"] = dict(SECRETS)
    state.write_text(json.dumps(document), encoding="utf-8")
    with SandboxServer(SandboxConfig(state_path=state)) as running:
        yield running


def config_file(home: Path) -> Path:
    return home / "config" / "offer-converter" / "config.toml"


def run(args: list[str], home: Path, cwd: Path, input: str) -> subprocess.CompletedProcess[str]:
    """The console script with ``input`` on stdin (a pipe: no TTY), in Swedish."""
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [str(SCRIPT), *args],
        input=input,
        env=user_env(home),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_the_first_drop_asks_once_tests_stores_and_carries_on(
    server: SandboxServer, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    first, _ = dropped_files(tmp_path / "Mina offerter")
    drop = ["drop", "--wait", "--api-url", server.url, str(first)]
    questions = (
        "Företagets API-nyckel (Company API key): Connect-API-nyckel (Connect API key): "
        "Licens: Användarnamn: Lösenord (visas inte): Testar inloggningen mot SoftOne GO …"
    )

    wrong = run(drop, home, tmp_path / "annan", ANSWERS + "fel-losenord\n")
    assert wrong.returncode == 2
    assert wrong.stdout.splitlines() == [
        "Laddar upp till SoftOne GO …",
        SV["setup_intro"],
        questions,
        "✗ Inloggningen fungerar inte: SoftOne GO godtog inte inloggningen: Felaktigt användarnamn "
        "eller lösenord. Inget sparades: kontrollera uppgifterna och försök igen.",
        "Inget laddades upp: SoftOne GO godtog inte uppgifterna. Släpp filerna här igen och "
        "skriv in dem på nytt.",
        f"Loggfil: {today_log(home)}",
    ]
    assert not config_file(home).exists()

    right = run(drop, home, tmp_path / "annan", ANSWERS + SECRETS["password"] + "\n")
    assert right.returncode == 0, right.stdout + right.stderr
    lines = right.stdout.splitlines()
    assert lines[2:9] == [
        questions,
        "✓ Inloggningen fungerar.",
        f"Sparat i {config_file(home)}, som bara du kan läsa (datorn har ingen nyckelring).",
        "",
        "Offert Åsa 013.xlsx",
        "  ✓ Offert 486 skapad för 013 Berglunds (3 rader, 10\u00a0550,00 kr)",
        "  Inskrivet i arbetsboken: Offertnr 486.",
    ]
    assert lines[-1] == "Klart. Inget mer att göra."
    assert stat.S_IMODE(config_file(home).stat().st_mode) == 0o600
    stored = config_file(home).read_text(encoding="utf-8")
    assert f'password = "{SECRETS["password"]}"' in stored  # no keyring: the private file
    assert f'api_url = "{server.url}"' in stored

    # the next drop asks nothing: stdin is empty and it still works
    again = run(drop, home, tmp_path / "annan", "")
    assert again.returncode == 0
    assert "  = Offert 486 är redan uppladdad och oförändrad: skickades inte igen" in (
        again.stdout.splitlines()
    )
    assert len(server.offers()) == 1

    log = today_log(home).read_text(encoding="utf-8")
    for name, secret in SECRETS.items():
        if name != "username":
            for text in (wrong.stdout, right.stdout, again.stdout, right.stderr, log):
                assert secret not in text, name

    forget = run(["setup", "--forget"], home, tmp_path, "")
    assert (forget.returncode, forget.stdout) == (0, SV["setup_forgotten"] + "\n")
    assert not config_file(home).exists()


# --- in-process: the keyring, an unreachable server, a changed password -----------------------


class MemoryKeyring(KeyringBackend):
    """A keyring that works, kept in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """User folders in tmp_path, no SOFTONE_* variables, and no keyring until a test sets one."""
    home = tmp_path / "home"
    for name, value in user_env(home).items():
        if name.startswith(("XDG_", "HOME")):
            monkeypatch.setenv(name, value)
    for name in list(os.environ):
        if name.startswith("SOFTONE_"):
            monkeypatch.delenv(name)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield home
    keyring.set_keyring(before)


def invoke(*args: str, input: str = "") -> Result:
    result = CliRunner().invoke(cli, ["--lang", "en", *args], input=input)
    assert "Traceback" not in result.output
    return result


def test_setup_stores_the_password_in_the_keyring_where_there_is_one(
    server: SandboxServer, home: Path
) -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    result = invoke("setup", "--api-url", server.url, input=ANSWERS + SECRETS["password"] + "\n")
    assert result.exit_code == 0
    assert result.output.splitlines()[-3:] == [
        "Testing the login with SoftOne GO …",
        "✓ The login works.",
        f"Stored: the password in the system keyring, the rest in {config_file(home)}.",
    ]
    key = (KEYRING_SERVICE, f"{SECRETS['username']}@{SECRETS['license']}")
    assert memory.passwords == {key: SECRETS["password"]}
    assert SECRETS["password"] not in config_file(home).read_text(encoding="utf-8")

    forget = invoke("setup", "--forget")
    assert (forget.exit_code, forget.output) == (0, EN["setup_forgotten"] + "\n")
    assert memory.passwords == {} and not config_file(home).exists()
    nothing = invoke("setup", "--forget")
    assert (nothing.exit_code, nothing.output) == (0, EN["setup_nothing_stored"] + "\n")


def free_port() -> int:
    """A port that was free a moment ago: nobody listens there."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _refused_reason() -> str:
    """How httpx describes a refused connection on this system (the errno differs by OS)."""
    try:
        httpx.get(f"http://127.0.0.1:{free_port()}/", trust_env=False)
    except httpx.ConnectError as exc:
        return f"ConnectError: {exc}"
    raise AssertionError("a free port answered")


REFUSED = _refused_reason()


def test_setup_says_when_softone_go_cannot_be_reached(home: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke("setup", "--api-url", url, input=ANSWERS + "pw12\n" + "n\n")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[-3] == (
        "✗ SoftOne GO can't be reached from this computer, so the details could not be tested. "
        "Check the network connection."
    )
    assert "ConnectError" not in result.output and "Errno" not in result.output
    assert REFUSED in today_log(home).read_text(encoding="utf-8")  # for whoever helps
    assert lines[-2] == (
        "Keep what you typed, and test it the next time offers are dropped on the icon? "
        "[Y/n]: n"  # CliRunner echoes what was typed
    )
    assert lines[-1] == "Nothing was stored."
    assert not config_file(home).exists()


def test_setup_offers_to_keep_the_details_when_softone_go_cannot_be_reached(home: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke("setup", "--api-url", url, input=ANSWERS + "pw12\n" + "y\n")
    assert result.exit_code == 2  # stored, but not known to work
    assert result.output.splitlines()[-1] == (
        f"Kept in {config_file(home)}, not tested yet. The next drop tests the details first; "
        "if they are wrong, you can type them again then."
    )
    stored = config_file(home).read_text(encoding="utf-8")
    assert "untested = true" in stored and f'api_url = "{url}"' in stored


def test_setup_without_answers_stores_nothing(home: Path) -> None:
    result = invoke("setup", input="")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == EN["setup_cancelled"]
    assert not config_file(home).exists()


def store_a_password_that_has_changed(server: SandboxServer, home: Path) -> None:
    """Set up with the right details, then the password changes in SoftOne GO: the stored
    one is now refused."""
    stored = invoke("setup", "--api-url", server.url, input=ANSWERS + SECRETS["password"] + "\n")
    assert stored.exit_code == 0
    text = config_file(home).read_text(encoding="utf-8")
    config_file(home).write_text(text.replace(SECRETS["password"], "old-Password-1"), "utf-8")


def test_a_changed_password_is_asked_for_again_and_the_drop_carries_on(
    server: SandboxServer, home: Path, tmp_path: Path
) -> None:
    store_a_password_that_has_changed(server, home)
    first, _ = dropped_files(tmp_path / "offers")

    result = invoke("drop", str(first), input="y\n" + ANSWERS + SECRETS["password"] + "\n")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[1] == (
        "✗ The login does not work: SoftOne GO refused the login: "
        "Felaktigt användarnamn eller lösenord"
    )
    assert lines[2].startswith("Enter your SoftOne GO details again? [Y/n]: ")
    assert "✓ The login works." in lines
    assert "  ✓ Offer 486 created for 013 Berglunds (3 rows, 10,550.00 kr)" in lines
    assert [r.offer_nr for r in writeback.read_records(first)] == ["486"]
    assert SECRETS["password"] in config_file(home).read_text(encoding="utf-8")


def test_a_refused_login_without_answers_uploads_nothing(
    server: SandboxServer, home: Path, tmp_path: Path
) -> None:
    store_a_password_that_has_changed(server, home)
    first, _ = dropped_files(tmp_path / "offers")

    result = invoke("drop", str(first), input="")
    assert result.exit_code == 2
    assert result.output.splitlines()[1:] == [
        "✗ The login does not work: SoftOne GO refused the login: "
        "Felaktigt användarnamn eller lösenord",
        "Enter your SoftOne GO details again? [Y/n]: ",
        "Nothing was uploaded.",
        f"Log file: {today_log(home)}",
    ]
    assert server.offers() == []


def test_setup_in_swedish_says_it_cannot_be_reached_in_swedish_only(home: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke("setup", "--lang", "sv", "--api-url", url, input=ANSWERS + "pw12\n" + "n\n")
    assert result.exit_code == 2
    assert result.output.splitlines()[-3:] == [
        "✗ SoftOne GO går inte att nå från den här datorn, så uppgifterna kunde inte testas. "
        "Kontrollera nätverksanslutningen.",
        "Vill du behålla det du skrev in och testa det nästa gång offerter släpps på ikonen? "
        "[J/n]: n",
        "Inget sparades.",
    ]
    for english in ("could not", "reach", "Error", "Errno", "refused"):
        assert english not in result.output


# --- first use without a network: "can't be reached" is not "the details are wrong" ------------


def sandbox_on(port: int) -> SandboxServer:
    """A sandbox taking only :data:`SECRETS`, on ``port``: SoftOne GO, back on the network."""
    state = Path(tempfile.mkdtemp()) / "sandbox.json"
    document = seed_document()
    document["credentials"] = dict(SECRETS)
    state.write_text(json.dumps(document), encoding="utf-8")
    return SandboxServer(SandboxConfig(state_path=state, port=port))


QUESTIONS_SV = (
    "Företagets API-nyckel (Company API key): Connect-API-nyckel (Connect API key): "
    "Licens: Användarnamn: Lösenord (visas inte): Testar inloggningen mot SoftOne GO …"
)
UNREACHABLE_SV = (
    "✗ SoftOne GO går inte att nå från den här datorn, så uppgifterna kunde inte testas. "
    "Kontrollera nätverksanslutningen."
)
KEEP_SV = (
    "Vill du behålla det du skrev in och testa det nästa gång offerter släpps på ikonen? [J/n]: "
)


def offline_drop(folder: Path) -> tuple[int, list[str]]:
    """A free port and the drop of an offer written into ``folder`` to SoftOne GO at that
    port, where nothing listens until a test starts :func:`sandbox_on` it."""
    port = free_port()
    first, _ = dropped_files(folder)
    return port, ["drop", "--api-url", f"http://127.0.0.1:{port}", str(first)]


def test_without_a_network_what_was_typed_is_kept_and_tested_on_the_next_drop(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    port, drop = offline_drop(tmp_path / "Mina offerter")

    offline = run(drop, home, tmp_path, ANSWERS + SECRETS["password"] + "\n" + "j\n")
    assert offline.returncode == 2
    assert offline.stdout.splitlines() == [
        "Laddar upp till SoftOne GO …",
        SV["setup_intro"],
        QUESTIONS_SV,
        UNREACHABLE_SV,
        KEEP_SV + f"Sparat i {config_file(home)}, inte testat ännu. Nästa gång du släpper offerter "
        "testas uppgifterna först; är de fel kan du skriva in dem igen då.",
        "Inget laddades upp: SoftOne GO går inte att nå från den här datorn. Dina uppgifter är "
        "sparade: kontrollera nätverksanslutningen och släpp filerna här igen, så testas de först.",
        f"Loggfil: {today_log(home)}",
    ]
    assert "untested = true" in config_file(home).read_text(encoding="utf-8")

    still = run(drop, home, tmp_path, "")  # still no network: asks nothing, keeps the details
    assert still.returncode == 2
    assert still.stdout.splitlines()[1:] == [
        "Testar SoftOne GO-uppgifterna som sparades förra gången …",
        f"✗ SoftOne GO går fortfarande inte att nå: SoftOne GO går inte att nå ({REFUSED})",
        SV["drop_unreachable_kept"],
        f"Loggfil: {today_log(home)}",
    ]
    assert "untested = true" in config_file(home).read_text(encoding="utf-8")

    with sandbox_on(port) as server:  # the network is back
        online = run(drop, home, tmp_path, "")
        assert len(server.offers()) == 1
    assert online.returncode == 0, online.stdout + online.stderr
    assert online.stdout.splitlines()[:6] == [
        "Laddar upp till SoftOne GO …",
        "Testar SoftOne GO-uppgifterna som sparades förra gången …",
        "✓ Inloggningen fungerar.",
        "",
        "Offert Åsa 013.xlsx",
        "  ✓ Offert 486 skapad för 013 Berglunds (3 rader, 10\u00a0550,00 kr)",
    ]
    stored = config_file(home).read_text(encoding="utf-8")
    assert "untested" not in stored and SECRETS["password"] in stored
    log = today_log(home).read_text(encoding="utf-8")
    for text in (offline.stdout, still.stdout, online.stdout, log):
        assert SECRETS["password"] not in text and SECRETS["company_api_key"] not in text


def test_details_kept_without_a_network_that_turn_out_wrong_can_be_typed_again(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    port, drop = offline_drop(tmp_path / "offers")
    offline = run(drop, home, tmp_path, ANSWERS + "fel-losenord\n" + "j\n")
    assert offline.returncode == 2
    with sandbox_on(port) as server:
        online = run(drop, home, tmp_path, "j\n" + ANSWERS + SECRETS["password"] + "\n")
        assert len(server.offers()) == 1
    assert online.returncode == 0, online.stdout
    lines = online.stdout.splitlines()
    assert lines[1:4] == [
        "Testar SoftOne GO-uppgifterna som sparades förra gången …",
        "✗ Inloggningen fungerar inte: SoftOne GO godtog inte inloggningen: Felaktigt "
        "användarnamn eller lösenord",
        "Vill du ange dina SoftOne GO-uppgifter igen? [J/n]: " + SV["setup_intro"],
    ]
    assert "✓ Inloggningen fungerar." in lines
    assert "untested" not in config_file(home).read_text(encoding="utf-8")


def test_without_a_network_and_nothing_kept_the_window_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _, drop = offline_drop(tmp_path / "offers")
    done = run(drop, home, tmp_path, ANSWERS + "pw\n" + "nej\n")
    assert done.returncode == 2
    assert done.stdout.splitlines()[3:] == [
        UNREACHABLE_SV,
        KEEP_SV + "Inget sparades.",
        "Inget laddades upp: SoftOne GO går inte att nå från den här datorn. Kontrollera "
        "nätverksanslutningen och släpp filerna här igen.",
        f"Loggfil: {today_log(home)}",
    ]
    assert not config_file(home).exists()


def test_login_health_needs_no_token_and_no_key(server: SandboxServer) -> None:
    with httpx.Client(base_url=server.url + "/", trust_env=False) as http:
        assert http.get("Login/Health").status_code == 200
        assert check_health(http) is True
        assert http.get("Economy/Billing/Offer").status_code == 401  # the others need a token
    with httpx.Client(base_url=f"http://127.0.0.1:{free_port()}/", trust_env=False) as http:
        with pytest.raises(UnreachableError) as caught:
            check_health(http)
    assert caught.value.message("sv").startswith("SoftOne GO går inte att nå (ConnectError: ")

"""A local SoftOne GO emulator ("the sandbox") for practice, tests and benchmarks.

It serves the endpoints the converter uses over real HTTP on a loopback
address, following the vendor document and ``api-notes.md``, and can inject
deterministic faults (latency, throttling, server errors, lost replies,
expiring tokens). See ``server.py`` for the HTTP side, ``state.py`` for the
data and import rules, ``faults.py`` for fault injection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from converter.paths import sandbox_state_path
from converter.sandbox.faults import Faults
from converter.sandbox.server import SandboxConfig, SandboxServer
from converter.sandbox.state import DEFAULT_CREDENTIALS, SandboxState

if TYPE_CHECKING:
    from converter.erp.credentials import Credentials

__all__ = [
    "DEFAULT_CREDENTIALS",
    "Faults",
    "SandboxConfig",
    "SandboxServer",
    "SandboxState",
    "practice_server",
]


@contextmanager
def practice_server(state: Path | None = None) -> Iterator[tuple[str, Credentials]]:
    """Run the practice server in this process; yields its URL and the credentials it takes.

    This is what ``Connection(practice=...)`` runs for a session (the library
    itself never imports the sandbox): ``state`` is the practice company's
    file, by default in the user's data folder.
    """
    path = state or sandbox_state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with SandboxServer(SandboxConfig(state_path=path)) as server:
        yield server.url, server.client_credentials().register()

"""A local SoftOne GO emulator ("the sandbox") for practice, tests and benchmarks.

It serves the endpoints the converter uses over real HTTP on a loopback
address, following the vendor document and ``api-notes.md``, and can inject
deterministic faults (latency, throttling, server errors, lost replies,
expiring tokens). See ``server.py`` for the HTTP side, ``state.py`` for the
data and import rules, ``faults.py`` for fault injection.
"""

from converter.sandbox.faults import Faults
from converter.sandbox.server import SandboxConfig, SandboxServer
from converter.sandbox.state import DEFAULT_CREDENTIALS, SandboxState

__all__ = ["DEFAULT_CREDENTIALS", "Faults", "SandboxConfig", "SandboxServer", "SandboxState"]

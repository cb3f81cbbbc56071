"""Threads sharing one client renew its token under contention, over real HTTP.

The sandbox refuses a token after a few uses (``Faults(token_expiry_after=N)``),
so with more threads than uses every round of requests finds the token spent:
all threads see the 401 together and must agree on one new token, never give
up. Threads are released together by a barrier, not by a clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from converter.erp.client import SoftOneClient
from converter.sandbox import Faults, SandboxConfig, SandboxServer

THREADS = 16
ROUNDS = 25


@pytest.fixture(params=[1, 2], ids=["one use", "two uses"])
def uses(request: pytest.FixtureRequest) -> int:
    """How many requests one token serves before the sandbox refuses it."""
    return int(request.param)


@pytest.fixture
def server(tmp_path: Path, uses: int) -> Iterator[SandboxServer]:
    faults = Faults(token_expiry_after=uses)
    config = SandboxConfig(state_path=tmp_path / "state.json", faults=faults)
    with SandboxServer(config) as running:
        yield running


def test_threads_renew_a_spent_token_together_many_times(server: SandboxServer, uses: int) -> None:
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    answers: list[str | None] = []
    lock = threading.Lock()
    with httpx.Client(base_url=server.url + "/", timeout=30) as http:
        client = SoftOneClient(http, server.client_credentials())

        def work() -> None:
            for _ in range(ROUNDS):
                barrier.wait()  # every thread sends at the same moment
                try:
                    name = client.get_product("A11").name
                except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                    with lock:
                        failures.append(exc)
                    continue
                with lock:
                    answers.append(name)

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [str(f) for f in failures] == []
    assert len(answers) == THREADS * ROUNDS and len(set(answers)) == 1
    # each token serves `uses` requests, so the run renewed it again and again
    assert client.logins >= THREADS * ROUNDS // uses

"""A real OpenID Provider (oidc-provider, run by Node on loopback) beside a real Avoin server
configured to trust it."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import free_port, require, server_on
from tests.helpers import RunningServer

ROOT = Path(__file__).parents[2]
PROVIDER = Path(__file__).parent / "provider.mjs"
SETTINGS = {
    "oidc_client_id": "avoin",
    "oidc_client_secret": "avoin-secret",
    "oidc_user_groups": ["avoin-users"],
    "oidc_manager_groups": ["avoin-managers"],
    "oidc_admin_groups": ["avoin-admins"],
    "oidc_unit_groups": ["unit-hervanta=Perhekeskus Hervanta"],
}


@dataclass
class WithProvider:
    server: RunningServer
    issuer: str


def _provider(port: int, base: str) -> subprocess.Popen[str]:
    require((ROOT / "node_modules" / "oidc-provider").is_dir(), "npm install (make test-deps)")
    process = subprocess.Popen(
        ["node", str(PROVIDER), str(port), f"{base}/login/sso/callback", f"{base}/"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 20
    while process.stdout.readline().strip() != "ready":
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("the OpenID Provider did not start")
    return process


@pytest.fixture(scope="module", params=["sqlite+memory", "postgresql+redis"])
def sso(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WithProvider]:
    """Avoin trusting the provider, on the embedded and on the production set-up."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    with server_on(request.param, tmp_path_factory, oidc_issuer=issuer, **SETTINGS) as running:
        process = _provider(port, running.base)
        try:
            yield WithProvider(running, issuer)
        finally:
            process.terminate()
            process.wait(10)

"""The live bench's processes: a system's server pinned to core 0, the load generator on core 1."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.figures import LOADGEN_CORE, ROOT, SERVER_CORE


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(core: str, argv: list[str]) -> list[str]:
    """The command run on one core only (as is, where taskset is missing)."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", core, *argv] if taskset else argv


def more_files() -> None:
    """Raise this process's soft limit on open files to the hard one (scenario 4's sockets)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


@contextmanager
def server(
    system: str, workdir: Path, env_extra: dict[str, str] | None = None, port: int | None = None
) -> Iterator[tuple[str, int]]:
    """One system's server on core 0: its base URL and pid; stopped at the end.

    Avoin gets a fresh migrated SQLite database and the in-memory fan-out unless `env_extra`
    names its database (scenario 8: PostgreSQL and Redis)."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if system == "avoin":
        if not env_extra or "AVOIN_DATABASE_URL" not in env_extra:
            from tests.conftest import add_users, migrated_sqlite

            directory = Path(tempfile.mkdtemp(dir=workdir))
            url = migrated_sqlite(directory)
            add_users(url, "bench")
            env.update(AVOIN_DATABASE_URL=url, AVOIN_FANOUT_URL="memory://")
        env.update(AVOIN_PUBLIC_URL=base, AVOIN_SECRET_KEY="b" * 40, AVOIN_ENV="test")
        argv = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    else:
        argv = [sys.executable, "-m", f"bench.relay_{system}", "--port", str(port)]
    env.update(env_extra or {})
    log = workdir / f"{system}-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            pinned(SERVER_CORE, argv),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=more_files,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{system} did not start: {log.read_text()[-2000:]}"
                    ) from None
                time.sleep(0.05)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def load(system: str, base: str, pid: int, spec: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """Run the load generator on core 1 against one server; its results."""
    path = workdir / f"spec-{system}-{pid}.json"
    path.write_text(json.dumps({**spec, "system": system, "base": base, "server_pid": pid}))
    argv = [sys.executable, "-m", "bench.loadgen", str(path)]
    done = subprocess.run(
        pinned(LOADGEN_CORE, argv),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=more_files,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"load generator failed against {system} ({done.returncode}): {done.stderr[-3000:]}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])

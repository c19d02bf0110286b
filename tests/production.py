"""The production topology on this machine: PostgreSQL, Redis, two `avoin serve` processes and
nginx in front of them on loopback (docker-compose.yml describes the same for a county's IT)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from tests.helpers import RunningServer

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/14"


def new_database() -> tuple[str, str]:
    """A fresh PostgreSQL database: its name and its plain postgresql:// URL."""
    name = f"avoin_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Instance:
    """One `avoin serve` process."""

    def __init__(self, name: str, port: int, env: dict[str, str], logs: Path) -> None:
        self.name, self.port, self.env, self.log = name, port, env, logs / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_ready(self.base + "/readyz", self.proc, self.log)

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)
        self.proc.wait(20)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.signal(signal.SIGTERM)


class Nginx:
    """nginx from Debian's packages on loopback, balancing two instances, with websockets."""

    def __init__(self, port: int, upstreams: list[int], tmp: Path) -> None:
        self.port, self.tmp = port, tmp
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstreams
        )
        (tmp / "nginx.conf").write_text(
            f"""
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream avoin {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://avoin;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.tmp), "-c", str(self.tmp / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_ready(f"http://127.0.0.1:{self.port}/healthz", self.proc, self.tmp / "nginx-error.log")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    text = log.read_text()[-3000:] if log.exists() else ""
    raise RuntimeError(f"{url} did not become ready: {text}")


def instance_env(database_url: str, public_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "AVOIN_DATABASE_URL": database_url,
        "AVOIN_FANOUT_URL": REDIS,
        "AVOIN_PUBLIC_URL": public_url,
        "AVOIN_SECRET_KEY": "p" * 40,
        "AVOIN_ENV": "test",
    }


@dataclass
class Topology:
    a: Instance
    b: Instance
    nginx: Nginx
    database_url: str

    @property
    def proxy(self) -> RunningServer:
        return RunningServer(base=f"http://127.0.0.1:{self.nginx.port}")

    def direct(self, instance: Instance) -> RunningServer:
        """An instance itself; its clients still say they come from the public origin."""
        server = RunningServer(base=instance.base)
        server.origin_override = self.proxy.base  # type: ignore[attr-defined]
        return server


@contextmanager
def running_topology(tmp: Path) -> Iterator[Topology]:
    """A fresh PostgreSQL database, two instances on Redis, nginx in front; all stopped after."""
    from tests.conftest import PASSWORD, free_port, require, require_production_services

    require_production_services()
    require(
        bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
        "nginx is not installed: apt-get install nginx-light (make test does, as root)",
    )
    name, url = new_database()
    public = f"http://127.0.0.1:{free_port()}"
    env = instance_env(url, public)
    for args in (["migrate"], ["user", "add", "--username", "kalle", "--password", PASSWORD]):
        subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    a, b = Instance("a", free_port(), env, tmp), Instance("b", free_port(), env, tmp)
    nginx = Nginx(int(public.rsplit(":", 1)[1]), [a.port, b.port], tmp)
    try:
        for part in (a, b, nginx):
            part.start()
        yield Topology(a, b, nginx, url)
    finally:
        for part in (nginx, a, b):
            part.stop()
        drop_database(name)

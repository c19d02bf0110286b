"""Settings, the command line and the compose file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from app.config import Settings
from tests.conftest import migrated_sqlite, require

ROOT = Path(__file__).resolve().parent.parent


def test_allowed_origins_are_a_comma_separated_list_beside_the_public_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AVOIN_ALLOWED_ORIGINS", "https://a.example, https://B.example:8443")
    monkeypatch.setenv("AVOIN_PUBLIC_URL", "https://avoin.example/app/")
    monkeypatch.setenv("AVOIN_SECRET_KEY", "s" * 40)
    settings = Settings()
    assert settings.origins == {
        "https://avoin.example",
        "https://a.example",
        "https://b.example:8443",
    }
    assert settings.secure_cookies


def test_production_refuses_unsafe_defaults() -> None:
    with pytest.raises(ValidationError, match="AVOIN_SECRET_KEY"):
        Settings(env="prod", public_url="https://avoin.example")
    with pytest.raises(ValidationError, match="https"):
        Settings(env="prod", secret_key="s" * 40, public_url="http://avoin.example")
    assert Settings(env="prod", secret_key="s" * 40, public_url="https://avoin.example")


def _avoin(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AVOIN_DATABASE_URL": url, "AVOIN_SECRET_KEY": "s" * 40}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_user_add_from_the_command_line(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    made = _avoin("user", "add", "--username", "sanna", "--password", "pitkä-salasana", url=url)
    assert made.returncode == 0, made.stderr
    again = _avoin("user", "add", "--username", "sanna", "--password", "pitkä-salasana", url=url)
    assert again.returncode == 2 and "taken" in again.stderr
    short = _avoin("user", "add", "--username", "eeva", "--password", "lyhyt", url=url)
    assert short.returncode == 2 and "8 characters" in short.stderr


def _compose() -> list[str]:
    if (
        shutil.which("docker")
        and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    missing = "neither `docker compose` nor `docker-compose` is installed"
    require(False, f"{missing}: apt-get install docker-compose (make test does, as root)")
    return []


def test_docker_compose_file_is_valid_and_needs_its_secrets() -> None:
    compose = _compose()
    env = {**os.environ, "POSTGRES_PASSWORD": "pw", "AVOIN_SECRET_KEY": "k" * 40}
    ok = subprocess.run(
        [*compose, "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "AVOIN_ENV: prod" in ok.stdout and "postgresql://avoin:pw@db:5432/avoin" in ok.stdout
    config = yaml.safe_load(ok.stdout)
    services = config["services"]
    assert {"db", "redis", "app-a", "app-b", "proxy"} <= set(services)
    for replica in ("app-a", "app-b"):
        env = services[replica]["environment"]
        assert env["AVOIN_FANOUT_URL"] == "redis://redis:6379/0"
        assert "readyz" in " ".join(services[replica]["healthcheck"]["test"])
    assert 443 in [
        int(p["target"]) if isinstance(p, dict) else int(str(p).split(":")[-1])
        for p in services["proxy"]["ports"]
    ]
    bare = {
        k: v for k, v in os.environ.items() if k not in ("POSTGRES_PASSWORD", "AVOIN_SECRET_KEY")
    }
    missing = subprocess.run(
        [*compose, "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr


def test_demo_makes_an_account_and_a_meeting_and_prints_the_links(tmp_path: Path) -> None:
    """What `make run` does before it serves: the links to open, and nothing fails."""
    url = migrated_sqlite(tmp_path)
    first = _avoin("demo", url=url)
    assert first.returncode == 0, first.stderr
    for words in ("demo / demo-salasana", "/m/", "/join/", "screen?token="):
        assert words in first.stdout
    again = _avoin("demo", url=url)  # a second run reuses the same account and meeting
    assert (
        again.returncode == 0
        and again.stdout.split("/m/")[1][:12] == first.stdout.split("/m/")[1][:12]
    )


def test_demo_says_how_phones_on_the_rooms_network_can_join(tmp_path: Path) -> None:
    """A newcomer's phone cannot open 127.0.0.1: the demo's output says how to serve the room."""
    url = migrated_sqlite(tmp_path)
    local = _avoin("demo", url=url)
    assert "make run HOST=0.0.0.0" in local.stdout and "AVOIN_PUBLIC_URL" in local.stdout
    room = _avoin("url", "--host", "0.0.0.0", "--port", "8123", url=url)
    assert room.returncode == 0 and room.stdout.strip().endswith(":8123")
    assert "0.0.0.0" not in room.stdout  # an address a phone can open, never "any interface"
    served = subprocess.run(
        [sys.executable, "-m", "app.cli", "demo"],
        cwd=ROOT,
        env={
            **os.environ,
            "AVOIN_DATABASE_URL": url,
            "AVOIN_SECRET_KEY": "s" * 40,
            "AVOIN_PUBLIC_URL": "http://192.168.1.23:8000",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "http://192.168.1.23:8000/join/" in served.stdout
    assert "HOST=0.0.0.0" not in served.stdout  # already reachable: no advice


def test_the_readmes_commands_work_as_written() -> None:
    """The README's command-line section says how to reach `avoin` (the venv is not on PATH)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Command line", 1)[1]
    assert ".venv/bin/activate" in section or ".venv/bin/avoin" in section
    assert "make run HOST=0.0.0.0" in readme

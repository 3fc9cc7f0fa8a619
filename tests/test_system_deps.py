"""tools/system_deps.sh, which `make book` and `make test` run first: on a machine without
Chromium it installs it when it may (root, or sudo without a password), and otherwise stops
at once with one line that names the package and the command that installs it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "tools" / "system_deps.sh"


def fake_machine(tmp_path: Path, uid: int, sudo: bool) -> dict:
    """A PATH with the basic tools but no Chromium; `id -u` answers ``uid``; apt-get and
    sudo only record how they were called."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "grep", "find", "python3", "fc-list", "env"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    log = tmp_path / "calls.log"
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "apt-get $*" >> {log}\n')
    if sudo:
        (bin_dir / "sudo").write_text(f'#!/bin/sh\necho "sudo $*" >> {log}\n'
                                      '[ "$1" = "-n" ] && exit 0\nexec "$@"\n')
    for f in bin_dir.iterdir():
        if not f.is_symlink():
            f.chmod(0o755)
    return {"PATH": str(bin_dir), "HOME": str(tmp_path), "VENV": str(ROOT / ".venv"),
            "PYTHON": "python3", "LOG": str(log)}


def run(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("bash"), str(SCRIPT)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_without_root_or_sudo_it_stops_with_one_line(tmp_path):
    env = fake_machine(tmp_path, uid=1000, sudo=False)
    result = run(env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "chromium" in lines[0], result.stderr
    assert "apt-get install -y --no-install-recommends chromium" in lines[0]
    assert not os.path.exists(env["LOG"]), "it tried to install without being allowed to"


def test_as_root_it_installs_what_is_missing(tmp_path):
    env = fake_machine(tmp_path, uid=0, sudo=False)
    result = run(env)
    assert result.returncode == 0, result.stderr
    calls = Path(env["LOG"]).read_text().splitlines()
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install") and calls[1].split()[-1] in (
        "chromium", "fonts-noto-cjk")
    assert "chromium" in calls[1].split()


def test_with_passwordless_sudo_it_installs_through_sudo(tmp_path):
    env = fake_machine(tmp_path, uid=1000, sudo=True)
    result = run(env)
    assert result.returncode == 0, result.stderr
    calls = Path(env["LOG"]).read_text().splitlines()
    assert any(c.startswith("sudo apt-get install") and "chromium" in c for c in calls), calls

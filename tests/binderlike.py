"""A Binder-like environment: mybinder.org's base, repo2docker's steps for this repository, and JupyterLab.

- :data:`BASE` is repo2docker's Python 3.11 base environment as far as a reader meets it (the packages of its
  conda lock that JupyterLab loads), installed once into a virtual environment cached under
  ``~/.cache/ai4neuro/binder/`` by the hash of everything that goes into it.
- :func:`repo2docker_steps` are the steps repo2docker's Python buildpack runs for this repository. With a
  ``binder/`` folder it reads no file outside it (no ``pip install .`` of the repository's own
  ``pyproject.toml``); because ``binder/requirements.txt`` names a local path (``-r ../requirements.txt``
  and, in there, ``-e .``), the install runs after the whole repository is in place, from its folder;
  then ``binder/postBuild``. (repo2docker ``buildpacks/python/__init__.py`` and ``buildpacks/base.py``.)
- :func:`jupyterlab` starts JupyterLab on 127.0.0.1 with the repository copy as ``HOME`` and working
  directory, as Binder does (its home folder is the repository).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import platformdirs

# repo2docker's environment.py-3.11 lock: the notebook servers and the extensions it ships.
BASE = (
    "pip==25.3",
    "jupyterlab==4.4.9",
    "notebook==7.4.7",
    "jupyter_server==2.17.0",
    "ipykernel==7.1.0",
    "ipywidgets==8.1.8",
    "jupyterlab-myst==2.4.2",
    "jupyter-resource-usage==1.2.0",
    "jupyter-offlinenotebook==0.3.2",
)
CACHE = Path(platformdirs.user_cache_dir("ai4neuro")) / "binder"
INSTALL_TIMEOUT = 1800  # s, a first install downloads the book's requirements (no pip cache, as repo2docker)


def cache_key(repository: Path) -> str:
    """What the cached environment holds: the base, the Python, and the requirements Binder installs."""
    digest = hashlib.sha256("\n".join((*BASE, sys.version)).encode())
    for name in ("binder/requirements.txt", "requirements.txt"):
        digest.update((repository / name).read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """One Binder-like run at a time on this machine: the cached environment is shared."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def base_environment(repository: Path) -> Path:
    """The cached environment with repo2docker's base installed (made on first use; call it under :func:`locked`)."""
    if sys.version_info[:2] != (3, 11):
        raise RuntimeError(f"Binder's base runs Python 3.11; this is {sys.version.split()[0]}")
    env = CACHE / cache_key(repository)
    if not (env / ".base-installed").exists():
        shutil.rmtree(env, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        run([str(env / "bin" / "pip"), "install", "--quiet", *BASE], cwd=CACHE, env=binder_variables(env, CACHE))
        (env / ".base-installed").write_text("\n".join(BASE) + "\n")
    return env


def repo2docker_steps(env: Path) -> list[list[str]]:
    """The commands repo2docker runs for this repository, in its folder (``KERNEL_PYTHON_PREFIX`` = ``env``)."""
    return [
        [str(env / "bin" / "pip"), "install", "--no-cache-dir", "-r", "binder/requirements.txt"],
        ["chmod", "+x", "binder/postBuild"],
        ["./binder/postBuild"],
    ]


def assemble(env: Path, home: Path) -> None:
    for command in repo2docker_steps(env):
        run(command, cwd=home, env=binder_variables(env, home))


def binder_variables(env: Path, home: Path) -> dict[str, str]:
    """The environment variables of a Binder container (none of this machine's: no AI4NEURO_*, no venv)."""
    return {
        "HOME": str(home),
        "PATH": f"{env / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "NB_PYTHON_PREFIX": str(env),
        "KERNEL_PYTHON_PREFIX": str(env),
        "REPO_DIR": str(home),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "SHELL": "/bin/bash",
    }


def run(command: list[str], *, cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-6000:]
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{output}")


@contextlib.contextmanager
def jupyterlab(env: Path, home: Path, log: Path) -> Iterator[tuple[str, str]]:
    """JupyterLab serving ``home`` on 127.0.0.1; yields its base URL and token, and stops it afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = secrets.token_hex(16)
    command = [
        str(env / "bin" / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={home}",
    ]
    if os.geteuid() == 0:  # Binder runs as a user; a root container (here, CI) must say so
        command.append("--allow-root")
    with open(log, "w") as output:
        server = subprocess.Popen(command, cwd=home, env=binder_variables(env, home), stdout=output, stderr=output)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/api/status?token={token}", server, log)
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab stopped ({server.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-4000:]}")

"""Helpers shared by the tests: a secrets volume laid out like the kubelet's, and digests."""

from __future__ import annotations

import atexit
import functools
import hashlib
import itertools
import json
import os
import secrets
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

PROVISIONER_ROOT = Path(__file__).resolve().parents[1]
_versions = itertools.count(1)


def digest(text: str | bytes) -> str:
    """What the tests compare instead of values, so that a failure never prints one."""
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def random_value(length: int = 24) -> str:
    return secrets.token_urlsafe(length)[:length]


def publish_version(volume: Path, values: dict[str, bytes], revision: str | None) -> None:
    """Publish values the way the kubelet's atomic writer does.

    A new timestamped directory holds the files; ``..data`` is switched to it by renaming a
    symlink over it; the top-level entries are symlinks through ``..data``, obsolete ones removed;
    the previous version's directory is deleted.
    """
    volume.mkdir(parents=True, exist_ok=True)
    previous = (volume / "..data").resolve() if (volume / "..data").is_symlink() else None
    version = volume / f"..2024_01_01_00_00_00.{next(_versions):09d}"
    version.mkdir()
    for name, value in values.items():
        (version / name).write_bytes(value)
    visible = list(values)
    if revision is not None:
        (version / ".meta").mkdir()
        (version / ".meta" / "revision").write_text(revision + "\n")
        visible.append(".meta")
    (volume / "..data_tmp").symlink_to(version.name)
    os.replace(volume / "..data_tmp", volume / "..data")
    for name in visible:
        if not (volume / name).is_symlink():
            (volume / name).symlink_to(f"..data/{name}")
    for entry in volume.iterdir():
        if not entry.name.startswith("..") and entry.name not in visible:
            entry.unlink()
    if previous is not None:
        shutil.rmtree(previous)


def write_kernelspec(kernels: Path, name: str, provisioner_config: dict | None) -> Path:
    """A kernelspec running this interpreter's ipykernel, naming the provisioner if given config."""
    directory = kernels / name
    directory.mkdir(parents=True)
    spec: dict = {
        # -Xfrozen_modules=off keeps ipykernel's debugger from printing a warning at each start.
        "argv": [
            sys.executable,
            "-Xfrozen_modules=off",
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
        ],
        "display_name": name,
        "language": "python",
        "env": {"FROM-KERNELSPEC": "kernelspec"},
        "metadata": {},
    }
    if provisioner_config is not None:
        spec["metadata"]["kernel_provisioner"] = {
            "provisioner_name": "kernel-secrets-provisioner",
            "config": provisioner_config,
        }
    (directory / "kernel.json").write_text(json.dumps(spec))
    return directory


@functools.cache
def register_entry_points() -> None:
    """Make jupyter_client find this source tree's provisioner without installing it.

    jupyter_client looks provisioners up by entry point, which only installed distributions
    have; a dist-info directory on sys.path with the entry points declared in pyproject.toml
    stands in for the installation.
    """
    project = tomllib.loads((PROVISIONER_ROOT / "pyproject.toml").read_text())["project"]
    lines = []
    for group, entries in project["entry-points"].items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {target}" for name, target in entries.items()]
    site = Path(tempfile.mkdtemp(prefix="kernel-secrets-entry-points-"))
    atexit.register(shutil.rmtree, site, ignore_errors=True)
    dist_info = site / "kernel_secrets_provisioner-0.0.0.dist-info"
    dist_info.mkdir()
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n")
    sys.path.insert(0, str(site))

"""Reading the project's secrets from the volume the webhook mounts into the notebook server.

The layout is a contract with the C++ injector: one entry per secret, named after the environment
variable, holding the value's bytes, and ``.meta/revision`` holding the content revision. The
kubelet's atomic writer publishes a new version by switching the ``..data`` symlink to a fresh
timestamped directory; every entry whose name starts with a dot is its bookkeeping, not a secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SECRETS_DIR = "/var/run/kernel-secrets"
SECRETS_DIR_ENV = "KERNEL_SECRETS_DIR"
UNKNOWN_REVISION = "unknown"

# The operator's rule for secret names; anything else in the directory was not written by it.
_SECRET_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
# A snapshot read while the kubelet swaps versions can find a file gone; reading again sees the
# new version whole. More attempts than swaps can plausibly happen back to back.
_READ_ATTEMPTS = 5


@dataclass(frozen=True)
class SecretsSnapshot:
    """The secrets of one version of the volume, and that version's revision."""

    values: dict[str, str]
    revision: str
    # Entries that looked like secrets but cannot be environment variables (NUL byte in value).
    unusable_names: tuple[str, ...] = ()


def secrets_directory() -> Path:
    return Path(os.environ.get(SECRETS_DIR_ENV, DEFAULT_SECRETS_DIR))


def read_snapshot(directory: Path) -> SecretsSnapshot | None:
    """All secrets and the revision of one version of the volume; None if there is no volume."""
    for _ in range(_READ_ATTEMPTS):
        if not directory.is_dir():
            return None
        try:
            return _read_version(_current_version(directory))
        except FileNotFoundError:
            continue  # the version being read was replaced; the next attempt reads the new one
    raise RuntimeError(f"{directory} changed under each of {_READ_ATTEMPTS} reads")


def read_revision(directory: Path) -> str:
    """The revision the volume was last refreshed to, or "unknown"."""
    try:
        return _read_revision(directory)
    except FileNotFoundError:
        return UNKNOWN_REVISION


def environment_with_secrets(
    inherited: Mapping[str, str], secrets: Mapping[str, str]
) -> dict[str, str]:
    """A new environment: the inherited one with the secrets laid over it.

    The kernelspec's own env is applied later by jupyter_client and wins over both, the way a
    container's env wins over its envFrom. A new dict, because jupyter_client keeps the caller's
    launch arguments for restarts: writing into them would carry a deleted secret into the next
    kernel.
    """
    return {**inherited, **secrets}


def _current_version(directory: Path) -> Path:
    # Reading through the resolved ..data target, rather than the top-level symlinks, keeps every
    # value and the revision from the same version even if the kubelet switches versions meanwhile.
    published = directory / "..data"
    return published.resolve() if published.is_dir() else directory


def _read_version(version: Path) -> SecretsSnapshot:
    values: dict[str, str] = {}
    unusable: list[str] = []
    for entry in sorted(os.scandir(version), key=lambda e: e.name):
        if not _is_secret_entry(entry):
            continue
        value = os.fsdecode(Path(entry.path).read_bytes())
        if "\0" in value:
            unusable.append(entry.name)
        else:
            values[entry.name] = value
    return SecretsSnapshot(values, read_revision(version), tuple(unusable))


def _is_secret_entry(entry: os.DirEntry[str]) -> bool:
    # The name rule also leaves out every dot entry: the kubelet's ..data and timestamped
    # directories, and .meta.
    return _SECRET_NAME.fullmatch(entry.name) is not None and entry.is_file()


def _read_revision(directory: Path) -> str:
    return (directory / ".meta" / "revision").read_text(
        encoding="utf-8"
    ).strip() or UNKNOWN_REVISION

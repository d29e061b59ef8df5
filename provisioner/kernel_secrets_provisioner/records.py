"""Kernel records: which kernels run, and which revision of the secrets each one was given.

One JSON file per kernel in ``<jupyter runtime dir>/kernel-secrets/``, written at every launch and
removed when the kernel is shut down for good. Records never hold values.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_runtime_dir


def records_directory() -> Path:
    return Path(jupyter_runtime_dir()) / "kernel-secrets"


def write_record(directory: Path, kernel_id: str, pid: int, revision: str) -> None:
    """Write the record of a kernel launch, replacing the record of its previous launch."""
    record = {"kernel_id": kernel_id, "pid": pid, "revision": revision, "launched_at": _now()}
    directory.mkdir(parents=True, exist_ok=True)
    # Written beside its final name and renamed over it, so that a reader never sees half a file.
    with tempfile.NamedTemporaryFile("w", dir=directory, suffix=".tmp", delete=False) as file:
        json.dump(record, file)
    os.replace(file.name, _record_path(directory, kernel_id))


def remove_record(directory: Path, kernel_id: str) -> None:
    _record_path(directory, kernel_id).unlink(missing_ok=True)


def read_records(directory: Path) -> list[dict[str, Any]]:
    """The records in the directory, oldest launch first, each with whether its pid is alive."""
    records = [_read_record(path) for path in sorted(directory.glob("*.json"))]
    alive = [{**record, "alive": _is_alive(record["pid"])} for record in records if record]
    return sorted(alive, key=lambda record: (record["launched_at"], record["kernel_id"]))


def _record_path(directory: Path, kernel_id: str) -> Path:
    return directory / f"{kernel_id}.json"


def _read_record(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None  # the kernel was shut down between listing and reading


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")

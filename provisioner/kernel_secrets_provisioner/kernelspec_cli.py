"""``kernel-secrets-kernelspec``: name (or stop naming) this provisioner in existing kernelspecs.

    kernel-secrets-kernelspec enable  [NAME ...] [--all] [--user | --sys-prefix | --prefix P]
                                      [--no-redact-output]
    kernel-secrets-kernelspec disable [NAME ...] [--all]

``enable`` sets ``metadata.kernel_provisioner`` in each kernelspec's kernel.json. Without a
location, a kernelspec is edited where it lives if its kernel.json is writable, and otherwise
copied into the user's kernel directory first; with a location, the edited kernelspec is written
there (copied unless it already lives there). Either way the edited copy must be the one jupyter
finds first, or the command fails. ``disable`` removes this provisioner from the kernelspec
jupyter finds, leaving any other provisioner alone. Both are idempotent.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpecManager

PROVISIONER_NAME = "kernel-secrets-provisioner"
_KERNEL_JSON = "kernel.json"


class KernelSpecError(Exception):
    """A kernelspec this command cannot change as asked."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.all == bool(arguments.names):
        parser.error("name kernelspecs or give --all, not both or neither")
    manager = KernelSpecManager()
    failed = False
    for name in _chosen_names(manager, arguments):
        try:
            print(f"{name}: {_apply(manager, name, arguments)}")
        except KernelSpecError as error:
            print(f"{name}: {error}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def enable(
    manager: KernelSpecManager, name: str, location: Path | None, config: dict[str, Any]
) -> str:
    """Make the kernelspec jupyter finds for name use this provisioner with config."""
    source = _spec_directory(manager, name)
    spec = _kernel_json(manager, name, source)
    current = spec.get("metadata", {}).get("kernel_provisioner", {})
    if current.get("provisioner_name", PROVISIONER_NAME) != PROVISIONER_NAME:
        raise KernelSpecError(f"already uses the provisioner {current['provisioner_name']!r}")
    wanted = {"provisioner_name": PROVISIONER_NAME, "config": config}
    target = _target_directory(manager, name, source, location)
    in_place = target.resolve() == source.resolve()
    if in_place and current == wanted:
        return f"already enabled in {target}"
    if not in_place:
        _require_found_first(manager, source, target)
        shutil.copytree(source, target, dirs_exist_ok=True)
    spec.setdefault("metadata", {})["kernel_provisioner"] = wanted
    _write_kernel_json(target, spec)
    return f"enabled in {target}"


def disable(manager: KernelSpecManager, name: str) -> str:
    """Remove this provisioner from the kernelspec jupyter finds for name."""
    source = _spec_directory(manager, name)
    spec = _kernel_json(manager, name, source)
    metadata = spec.get("metadata", {})
    if metadata.get("kernel_provisioner", {}).get("provisioner_name") != PROVISIONER_NAME:
        return f"not enabled in {source}"
    if not _is_editable_in_place(source):
        raise KernelSpecError(f"{source / _KERNEL_JSON} is not writable")
    del metadata["kernel_provisioner"]
    _write_kernel_json(source, spec)
    return f"disabled in {source}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kernel-secrets-kernelspec",
        description="Name (or stop naming) the kernel-secrets provisioner in kernelspecs.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command in ("enable", "disable"):
        subparser = commands.add_parser(command)
        subparser.add_argument("names", nargs="*", metavar="NAME", help="kernelspec names")
        subparser.add_argument("--all", action="store_true", help="every kernelspec jupyter finds")
    enable_parser = commands.choices["enable"]
    where = enable_parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="write into the user's kernel directory")
    where.add_argument("--sys-prefix", action="store_true", help=f"write into {sys.prefix}")
    where.add_argument(
        "--prefix", type=Path, metavar="P", help="write into P/share/jupyter/kernels"
    )
    enable_parser.add_argument(
        "--no-redact-output",
        dest="redact_output",
        action="store_false",
        help="give the kernel its secrets without redacting them from its output",
    )
    return parser


def _chosen_names(manager: KernelSpecManager, arguments: argparse.Namespace) -> list[str]:
    if arguments.all:
        return sorted(manager.find_kernel_specs())
    return [name.lower() for name in arguments.names]  # kernelspec names are case-insensitive


def _apply(manager: KernelSpecManager, name: str, arguments: argparse.Namespace) -> str:
    if arguments.command == "disable":
        return disable(manager, name)
    config = {"redact_output": arguments.redact_output}
    return enable(manager, name, _location(manager, arguments), config)


def _location(manager: KernelSpecManager, arguments: argparse.Namespace) -> Path | None:
    """The kernels directory chosen on the command line, if any."""
    if arguments.user:
        return Path(manager.user_kernel_dir)
    if arguments.sys_prefix:
        return _kernels_under(Path(sys.prefix))
    if arguments.prefix:
        return _kernels_under(arguments.prefix)
    return None


def _kernels_under(prefix: Path) -> Path:
    return prefix.absolute() / "share" / "jupyter" / "kernels"


def _spec_directory(manager: KernelSpecManager, name: str) -> Path:
    try:
        return Path(manager.find_kernel_specs()[name])
    except KeyError:
        raise KernelSpecError("no such kernelspec") from None


def _kernel_json(manager: KernelSpecManager, name: str, directory: Path) -> dict[str, Any]:
    kernel_json = directory / _KERNEL_JSON
    if kernel_json.exists():
        # The file itself rather than a KernelSpec, which would drop any field it does not know.
        return json.loads(kernel_json.read_text(encoding="utf-8"))
    # ipykernel's built-in python3 kernelspec has no kernel.json: it is built in code.
    return manager.get_kernel_spec(name).to_dict()


def _target_directory(
    manager: KernelSpecManager, name: str, source: Path, location: Path | None
) -> Path:
    if location is not None:
        return location / name
    if _is_editable_in_place(source):
        return source
    return Path(manager.user_kernel_dir) / name


def _is_editable_in_place(directory: Path) -> bool:
    kernel_json = directory / _KERNEL_JSON
    return kernel_json.exists() and os.access(kernel_json, os.W_OK)


def _write_kernel_json(directory: Path, spec: dict[str, Any]) -> None:
    (directory / _KERNEL_JSON).write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")


def _require_found_first(manager: KernelSpecManager, source: Path, target: Path) -> None:
    """Refuse a copy that jupyter would not find, or would find only after the original."""
    searched = [Path(directory).resolve() for directory in manager.kernel_dirs]
    target_kernels = target.parent.resolve()
    if target_kernels not in searched:
        raise KernelSpecError(f"jupyter does not search {target_kernels}")
    source_kernels = source.parent.resolve()
    # ipykernel's built-in kernelspec lives outside the search path and comes after all of it.
    if source_kernels in searched and searched.index(source_kernels) < searched.index(
        target_kernels
    ):
        raise KernelSpecError(
            f"{target_kernels} comes after {source_kernels}, which would still win"
        )

"""The kernel provisioner: the project's secrets in every kernel's environment, at each (re)start.

In JupyterHub and Kubeflow notebook servers, restarting a kernel restarts a process inside a
long-running pod, whose own environment was fixed when the pod was created. The secrets volume,
in contrast, is kept current by the kubelet; this provisioner reads it at every launch and
restart (jupyter_client calls pre_launch each time) and gives the values to the kernel alone.

With ``redact_output`` (on by default) a RedactingProxy sits between the server and the kernel
and replaces the values in what the kernel sends. That is best effort: only exact occurrences
within one string of one message are caught; a value transformed (base64, reversed, split across
two messages or two strings) passes through.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo, LocalPortCache, write_connection_file
from jupyter_client.provisioning import LocalProvisioner
from jupyter_client.session import Session
from traitlets import Bool, Integer

from .messages import MessageRedactor
from .proxy import RedactingProxy
from .records import records_directory, remove_record, write_record
from .redaction import Redactor
from .secrets_volume import (
    UNKNOWN_REVISION,
    SecretsSnapshot,
    environment_with_secrets,
    read_snapshot,
    secrets_directory,
)

_CHANNEL_PORTS = ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
_KERNEL_SIDE_IP = "127.0.0.1"


class KernelSecretsProvisioner(LocalProvisioner):
    """A LocalProvisioner that adds the project's secrets to the kernel's environment."""

    redact_output = Bool(
        True,
        config=True,
        help="Replace the secret values with [REDACTED] in everything the kernel sends.",
    )
    min_redacted_length = Integer(
        6,
        config=True,
        help="""Values shorter than this are not redacted. A short value such as "1", "yes" or
        "admin" also occurs in ordinary output, which would be mangled; and marking each place
        where a short value occurs would tell more about it than it hides.""",
    )

    _snapshot: SecretsSnapshot | None = None
    _proxy: RedactingProxy | None = None
    # The kernel's own ports behind the proxy, kept across restarts like jupyter_client keeps
    # the server-facing ones, and returned to the port cache at the final cleanup.
    _kernel_facing: KernelConnectionInfo | None = None

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        snapshot = self._read_secrets()
        kwargs["env"] = environment_with_secrets(kwargs.pop("env", os.environ), snapshot.values)
        launch = await super().pre_launch(**kwargs)
        if self.redact_output:
            launch["cmd"] = self._point_kernel_behind_proxy(launch["cmd"])
        self._snapshot = snapshot
        return launch

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        assert self._snapshot is not None, "pre_launch reads the secrets before every launch"
        if self.redact_output:
            self._proxy = self._start_proxy(self._snapshot)
        try:
            connection_info = await super().launch_kernel(cmd, **kwargs)
        except BaseException:
            self._stop_proxy()
            raise
        write_record(records_directory(), self.kernel_id, self.pid, self._snapshot.revision)
        self._snapshot = None  # from here on only the proxy's redactor holds the values
        return connection_info

    async def cleanup(self, restart: bool = False) -> None:
        # KernelManager calls cleanup after every shutdown, kill and automatic restart, once the
        # kernel is gone: the one place that sees every end of a launch.
        self._stop_proxy()
        if not restart:
            self._release_kernel_facing_ports()
            remove_record(records_directory(), self.kernel_id)
        await super().cleanup(restart=restart)

    def _read_secrets(self) -> SecretsSnapshot:
        directory = secrets_directory()
        snapshot = read_snapshot(directory)
        if snapshot is None:
            self.log.warning(
                "kernel-secrets: %s does not exist; kernel %s starts without secrets",
                directory,
                self.kernel_id,
            )
            return SecretsSnapshot({}, UNKNOWN_REVISION)
        if not snapshot.values:
            self.log.warning(
                "kernel-secrets: %s holds no secrets; kernel %s starts without secrets",
                directory,
                self.kernel_id,
            )
        for name in snapshot.unusable_names:
            self.log.warning("kernel-secrets: %s holds a NUL byte; it is left out", name)
        self.log.info(
            "kernel-secrets: kernel %s gets %d secrets, revision %s",
            self.kernel_id,
            len(snapshot.values),
            snapshot.revision,
        )
        return snapshot

    def _point_kernel_behind_proxy(self, cmd: list[str]) -> list[str]:
        """The kernel command with the server's connection file replaced by the kernel's own."""
        if self.parent.transport != "tcp":
            raise RuntimeError("kernel-secrets: redact_output needs the tcp transport")
        server_file = self.parent.connection_file
        if not any(server_file in argument for argument in cmd):
            raise RuntimeError(
                "kernel-secrets: redact_output needs {connection_file} in the kernelspec's argv"
            )
        kernel_file = str(self._write_kernel_facing_connection_file())
        return [argument.replace(server_file, kernel_file) for argument in cmd]

    def _write_kernel_facing_connection_file(self) -> Path:
        """The kernel's own ports behind the proxy, with the server's key and signature scheme."""
        server_facing = self.connection_info
        if self._kernel_facing is None:
            self._kernel_facing = _kernel_facing_connection()
        kernel_file = _kernel_facing_connection_file(self.parent.connection_file)
        write_connection_file(
            str(kernel_file),
            **{port: self._kernel_facing[port] for port in _CHANNEL_PORTS},
            ip=_KERNEL_SIDE_IP,
            key=server_facing["key"],
            transport="tcp",
            signature_scheme=server_facing["signature_scheme"],
            kernel_name=server_facing.get("kernel_name", ""),
        )
        return kernel_file

    def _start_proxy(self, snapshot: SecretsSnapshot) -> RedactingProxy:
        assert self._kernel_facing is not None
        session = Session(
            key=self.connection_info["key"],
            signature_scheme=self.connection_info["signature_scheme"],
        )
        redactor = Redactor(snapshot.values.values(), self.min_redacted_length)
        return RedactingProxy.start(
            self.connection_info, self._kernel_facing, MessageRedactor(session, redactor), self.log
        )

    def _stop_proxy(self) -> None:
        if self._proxy is not None:
            self._proxy.stop()
            self._proxy = None

    def _release_kernel_facing_ports(self) -> None:
        if self._kernel_facing is None:
            return
        ports = LocalPortCache.instance()
        for port in _CHANNEL_PORTS:
            ports.return_port(self._kernel_facing[port])
        _kernel_facing_connection_file(self.parent.connection_file).unlink(missing_ok=True)
        self._kernel_facing = None


def _kernel_facing_connection() -> KernelConnectionInfo:
    # Taken from jupyter_client's port cache, so that no other kernel of this server is given
    # one of them between now and the moment the kernel binds it.
    ports = LocalPortCache.instance()
    kernel_facing: KernelConnectionInfo = {
        port: ports.find_available_port(_KERNEL_SIDE_IP) for port in _CHANNEL_PORTS
    }
    return {**kernel_facing, "ip": _KERNEL_SIDE_IP}


def _kernel_facing_connection_file(server_connection_file: str) -> Path:
    # Beside the server's connection file, but not named kernel-*.json: `jupyter console
    # --existing` picks those up, and this one's ports bypass the redaction.
    server_file = Path(server_connection_file)
    return server_file.with_name(f"secrets-proxied-{server_file.name}")

"""Real ipykernels started through the provisioner: no cluster, a temporary secrets volume."""

import json
import os
import socket
import tempfile
import unittest
from pathlib import Path
from queue import Empty
from typing import Any
from unittest import mock

from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from kernel_secrets_provisioner.redaction import REDACTED

from .support import digest, publish_version, random_value, register_entry_points, write_kernelspec

TIMEOUT = 20
CHANNEL_PORTS = ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
PRINT_TOKEN_DIGEST = (
    "import hashlib, os; print(hashlib.sha256(os.environ['API-TOKEN'].encode()).hexdigest())"
)


class RealKernelTest(unittest.TestCase):
    def setUp(self) -> None:
        register_entry_points()
        root = Path(tempfile.mkdtemp())
        self.kernels = root / "kernels"
        self.volume = root / "volume"
        self.runtime = root / "runtime"
        self.token = random_value()
        self.short = "abc12"  # below the minimum length of 6
        publish_version(
            self.volume, {"API-TOKEN": self.token.encode(), "SHORT": self.short.encode()}, "rev-1"
        )
        environment = {
            "KERNEL_SECRETS_DIR": str(self.volume),
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
        }
        patcher = mock.patch.dict(os.environ, environment)
        patcher.start()
        self.addCleanup(patcher.stop)

    def start(self, provisioner_config: dict) -> tuple[KernelManager, BlockingKernelClient]:
        write_kernelspec(self.kernels, "secrets", provisioner_config)
        manager = KernelManager(
            kernel_name="secrets",
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(self.kernels)]),
        )
        # Like jupyter_server, which passes the environment the kernel inherits.
        manager.start_kernel(env=dict(os.environ))
        self.addCleanup(lambda: manager.has_kernel and manager.shutdown_kernel(now=True))
        client = manager.client()
        client.start_channels()
        self.addCleanup(client.stop_channels)
        client.wait_for_ready(timeout=TIMEOUT)
        return manager, client

    def record(self, manager: KernelManager) -> dict:
        return json.loads(
            (self.runtime / "kernel-secrets" / f"{manager.kernel_id}.json").read_text()
        )

    def test_secrets_reach_the_kernel_and_a_restart_brings_the_new_ones(self) -> None:
        manager, client = self.start({})
        self.assertEqual(output_of(client, PRINT_TOKEN_DIGEST), digest(self.token) + "\n")
        self.assertEqual(
            output_of(client, "import os; print(os.environ['FROM-KERNELSPEC'])"), "kernelspec\n"
        )
        first = self.record(manager)
        self.assertEqual((first["pid"], first["revision"]), (manager.provisioner.pid, "rev-1"))
        ports = [manager.get_connection_info()[port] for port in CHANNEL_PORTS]

        new_token = random_value()
        publish_version(self.volume, {"API-TOKEN": new_token.encode()}, "rev-2")
        manager.restart_kernel()
        wait_for_iopub(client)

        self.assertEqual(output_of(client, PRINT_TOKEN_DIGEST), digest(new_token) + "\n")
        self.assertEqual(output_of(client, "import os; print('SHORT' in os.environ)"), "False\n")
        self.assertEqual(
            [manager.get_connection_info()[port] for port in CHANNEL_PORTS],
            ports,
            "the server-facing ports stay the same across the restart",
        )
        second = self.record(manager)
        self.assertEqual((second["pid"], second["revision"]), (manager.provisioner.pid, "rev-2"))
        self.assertNotEqual(second["pid"], first["pid"])
        self.assertNotIn("API-TOKEN", os.environ)

        manager.shutdown_kernel()
        self.assertFalse((self.runtime / "kernel-secrets" / f"{manager.kernel_id}.json").exists())
        for port in ports:
            assert_bindable(manager.ip, port)

    def test_output_is_redacted_on_every_channel_from_the_kernel(self) -> None:
        manager, client = self.start({})
        expose = "import os; token = os.environ['API-TOKEN']"
        self.assertEqual(
            output_of(client, f"{expose}; print('token:', token)"), f"token: {REDACTED}\n"
        )
        self.assertEqual(output_of(client, "token"), f"'{REDACTED}'", "execute_result")
        reply = client.execute("", user_expressions={"t": "token"}, reply=True, timeout=TIMEOUT)
        self.assertEqual(
            reply["content"]["user_expressions"]["t"]["data"]["text/plain"], f"'{REDACTED}'"
        )

        client.execute("input(token)", allow_stdin=True)
        prompt = client.get_stdin_msg(timeout=TIMEOUT)["content"]["prompt"]
        client.input("typed")
        self.assertEqual(prompt, REDACTED, "stdin requests are redacted (and reach the client)")

        plain = "nothing secret: 'abc', {\"x\": 1}, é"
        self.assertEqual(output_of(client, f"print({plain!r})"), plain + "\n")
        short = output_of(client, "print(os.environ['SHORT'])")
        self.assertEqual(digest(short), digest(self.short + "\n"), "short values are not redacted")

        manager.shutdown_kernel(now=True)
        self.assertFalse((self.runtime / "kernel-secrets" / f"{manager.kernel_id}.json").exists())

    def test_redaction_can_be_turned_off(self) -> None:
        _, client = self.start({"redact_output": False})
        printed = output_of(client, "import os; print(os.environ['API-TOKEN'])")
        self.assertEqual(digest(printed), digest(self.token + "\n"))


def wait_for_iopub(client: BlockingKernelClient) -> None:
    """Wait until the restarted kernel's iopub reaches the client, as jupyter_server's nudge does.

    wait_for_ready alone can be satisfied by messages the old kernel published, so the first
    output of the new one could be missed: that race is jupyter_client's, with or without proxy.
    """
    for _ in range(TIMEOUT * 4):
        request = client.kernel_info()
        try:
            while client.get_iopub_msg(timeout=0.25)["parent_header"].get("msg_id") != request:
                pass
            return
        except Empty:
            continue
    raise AssertionError("the kernel's iopub never reached the client")


def output_of(client: BlockingKernelClient, code: str) -> str:
    """What running code shows: its streams and its result, as the client receives them."""
    request = client.execute(code)
    shown: list[str] = []
    while True:
        message = next_message_for(client, request)
        content: dict[str, Any] = message["content"]
        if message["msg_type"] == "stream":
            shown.append(content["text"])
        elif message["msg_type"] in ("execute_result", "error"):
            shown.append(content.get("data", {}).get("text/plain", content.get("ename", "")))
        elif message["msg_type"] == "status" and content["execution_state"] == "idle":
            return "".join(shown)


def next_message_for(client: BlockingKernelClient, request: str) -> dict:
    while True:
        try:
            message = client.get_iopub_msg(timeout=TIMEOUT)
        except Empty:
            raise AssertionError("no output from the kernel") from None
        if message["parent_header"].get("msg_id") == request:
            return message


def assert_bindable(ip: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((ip, port))


if __name__ == "__main__":
    unittest.main()

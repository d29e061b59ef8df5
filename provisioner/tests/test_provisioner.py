"""The provisioner's launch preparation, with a real KernelManager but no kernel process."""

import json
import logging
import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner
from traitlets.config import Config

from kernel_secrets_provisioner import KernelSecretsProvisioner

from .support import digest, publish_version, random_value, register_entry_points, write_kernelspec


class PreLaunchTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self) -> None:
        register_entry_points()
        root = Path(tempfile.mkdtemp())
        self.kernels = root / "kernels"
        write_kernelspec(self.kernels, "secrets", {})
        write_kernelspec(self.kernels, "unredacted", {"redact_output": False})
        write_kernelspec(self.kernels, "plain", None)
        self.volume = root / "volume"
        self.token = random_value()
        publish_version(
            self.volume,
            {"API-TOKEN": self.token.encode(), "FROM-KERNELSPEC": b"from-secrets"},
            "rev-1",
        )
        environment = {
            "KERNEL_SECRETS_DIR": str(self.volume),
            "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        }
        patcher = mock.patch.dict(os.environ, environment)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.log = logging.getLogger(f"kernel-secrets-test.{self.id()}")
        self.inherited = {
            "PATH": os.environ["PATH"],
            "API-TOKEN": "server",
            "FROM-KERNELSPEC": "server",
        }

    async def pre_launch(
        self, kernel_name: str, config: Config | None = None
    ) -> tuple[AsyncKernelManager, list[str], dict]:
        manager = AsyncKernelManager(
            kernel_name=kernel_name,
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(self.kernels)]),
            log=self.log,
            config=config or Config(),
        )
        command, launch = await manager.pre_start_kernel(env=self.inherited)
        self.addAsyncCleanup(manager.cleanup_resources)
        return manager, command, launch

    async def test_precedence_server_then_secrets_then_kernelspec(self) -> None:
        _, _, launch = await self.pre_launch("secrets")
        environment = launch["env"]
        self.assertEqual(digest(environment["API-TOKEN"]), digest(self.token))
        self.assertEqual(environment["FROM-KERNELSPEC"], "kernelspec")
        self.assertEqual(environment["PATH"], os.environ["PATH"])

    async def test_the_server_environment_is_left_alone(self) -> None:
        inherited = dict(self.inherited)
        await self.pre_launch("secrets")
        self.assertEqual(
            self.inherited, inherited, "the caller's env, kept for restarts, is not written"
        )
        self.assertNotIn("API-TOKEN", os.environ)

    async def test_logs_count_secrets_and_never_hold_a_value(self) -> None:
        with self.assertLogs(self.log, level="DEBUG") as logs:
            await self.pre_launch("secrets")
        self.assertIn("gets 2 secrets, revision rev-1", "\n".join(logs.output))
        self.assertFalse(
            any(self.token in line for line in logs.output), "a log line holds a value"
        )

    async def test_a_missing_directory_starts_without_secrets_and_one_warning(self) -> None:
        os.environ["KERNEL_SECRETS_DIR"] = str(self.volume / "absent")
        with self.assertLogs(self.log, level="WARNING") as logs:
            _, _, launch = await self.pre_launch("secrets")
        self.assertEqual(len(logs.records), 1)
        self.assertEqual(launch["env"]["API-TOKEN"], "server")

    async def test_an_empty_directory_starts_without_secrets_and_one_warning(self) -> None:
        empty = Path(tempfile.mkdtemp())
        os.environ["KERNEL_SECRETS_DIR"] = str(empty)
        with self.assertLogs(self.log, level="WARNING") as logs:
            await self.pre_launch("secrets")
        self.assertEqual(len(logs.records), 1)

    async def test_with_redaction_the_kernel_gets_a_connection_file_of_its_own(self) -> None:
        manager, command, _ = await self.pre_launch("secrets")
        [kernel_file] = [argument for argument in command if argument.endswith(".json")]
        self.assertNotEqual(kernel_file, manager.connection_file)
        self.assertFalse(
            Path(kernel_file).name.startswith("kernel-"), "not one --existing would pick"
        )
        kernel_side = json.loads(Path(kernel_file).read_text())
        server_side = manager.get_connection_info()
        self.assertEqual(kernel_side["key"].encode(), server_side["key"])
        self.assertEqual(kernel_side["signature_scheme"], server_side["signature_scheme"])
        channels = ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
        self.assertFalse({kernel_side[c] for c in channels} & {server_side[c] for c in channels})
        await manager.cleanup_resources()
        self.assertFalse(Path(kernel_file).exists(), "removed at the final cleanup")

    async def test_without_redaction_the_kernel_uses_the_servers_connection_file(self) -> None:
        manager, command, _ = await self.pre_launch("unredacted")
        self.assertIn(manager.connection_file, command)
        self.assertIsInstance(manager.provisioner, KernelSecretsProvisioner)
        self.assertFalse(
            manager.provisioner.redact_output, "kernelspec config reaches the traitlets"
        )

    async def test_a_kernelspec_without_the_provisioner_is_unaffected(self) -> None:
        manager, _, launch = await self.pre_launch("plain")
        self.assertIs(type(manager.provisioner), LocalProvisioner)
        self.assertEqual(launch["env"]["API-TOKEN"], "server")

    async def test_the_default_provisioner_setting_applies_it_to_every_kernelspec(self) -> None:
        factory = KernelProvisionerFactory.instance()
        self.addCleanup(
            setattr, factory, "default_provisioner_name", factory.default_provisioner_name
        )
        factory.default_provisioner_name = "kernel-secrets-provisioner"
        manager, _, launch = await self.pre_launch("plain")
        self.assertIsInstance(manager.provisioner, KernelSecretsProvisioner)
        self.assertEqual(digest(launch["env"]["API-TOKEN"]), digest(self.token))

    async def test_the_servers_config_reaches_the_provisioner(self) -> None:
        config = Config({"KernelSecretsProvisioner": {"redact_output": False}})
        manager, command, _ = await self.pre_launch("secrets", config)
        self.assertFalse(manager.provisioner.redact_output)
        self.assertIn(manager.connection_file, command)


if __name__ == "__main__":
    unittest.main()

import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from jupyter_client.kernelspec import KernelSpecManager

from kernel_secrets_provisioner import kernelspec_cli
from kernel_secrets_provisioner.kernelspec_cli import KernelSpecError, disable, enable

from .support import write_kernelspec

OURS = {"provisioner_name": "kernel-secrets-provisioner", "config": {"redact_output": True}}


def provisioner_of(spec_directory: Path) -> dict | None:
    spec = json.loads((spec_directory / "kernel.json").read_text())
    return spec["metadata"].get("kernel_provisioner")


class EnableDisableTest(unittest.TestCase):
    def setUp(self) -> None:
        root = Path(tempfile.mkdtemp())
        self.user_kernels = root / "user" / "kernels"
        self.system_kernels = root / "system" / "kernels"
        self.manager = KernelSpecManager(
            kernel_dirs=[str(self.user_kernels), str(self.system_kernels)],
            user_kernel_dir=str(self.user_kernels),
            ensure_native_kernel=False,
        )
        self.system_spec = write_kernelspec(self.system_kernels, "py", None)

    def enable(self, location: Path | None = None, config: dict | None = None) -> str:
        return enable(self.manager, "py", location, config or {"redact_output": True})

    def test_a_writable_kernelspec_is_edited_where_it_lives(self) -> None:
        self.assertEqual(self.enable(), f"enabled in {self.system_spec}")
        self.assertEqual(provisioner_of(self.system_spec), OURS)
        self.assertFalse(self.user_kernels.exists())

    def test_enabling_twice_changes_nothing(self) -> None:
        self.enable()
        before = (self.system_spec / "kernel.json").stat().st_mtime_ns
        self.assertEqual(self.enable(), f"already enabled in {self.system_spec}")
        self.assertEqual((self.system_spec / "kernel.json").stat().st_mtime_ns, before)

    def test_enabling_again_with_another_config_updates_it(self) -> None:
        self.enable()
        self.enable(config={"redact_output": False})
        self.assertEqual(provisioner_of(self.system_spec)["config"], {"redact_output": False})

    def test_other_fields_of_kernel_json_are_kept(self) -> None:
        spec = json.loads((self.system_spec / "kernel.json").read_text())
        spec["metadata"]["debugger"] = True
        spec["x-vendor-field"] = 1
        (self.system_spec / "kernel.json").write_text(json.dumps(spec))
        self.enable()
        edited = json.loads((self.system_spec / "kernel.json").read_text())
        self.assertEqual((edited["x-vendor-field"], edited["metadata"]["debugger"]), (1, True))
        self.assertEqual(edited["env"], spec["env"])

    def test_an_unwritable_kernelspec_is_copied_into_the_user_directory(self) -> None:
        (self.system_spec / "logo-64x64.png").write_bytes(b"png")
        with mock.patch("os.access", return_value=False):  # root may write anywhere
            result = self.enable()
        copy = self.user_kernels / "py"
        self.assertEqual(result, f"enabled in {copy}")
        self.assertEqual(provisioner_of(copy), OURS)
        self.assertEqual((copy / "logo-64x64.png").read_bytes(), b"png")
        self.assertIsNone(provisioner_of(self.system_spec))
        self.assertEqual(self.manager.find_kernel_specs()["py"], str(copy))

    def test_a_location_receives_the_edited_copy(self) -> None:
        self.enable(location=self.user_kernels)
        self.assertEqual(provisioner_of(self.user_kernels / "py"), OURS)
        self.assertIsNone(provisioner_of(self.system_spec))

    def test_a_location_jupyter_would_not_find_first_is_refused(self) -> None:
        write_kernelspec(self.user_kernels, "py", None)
        with self.assertRaisesRegex(KernelSpecError, "does not search"):
            self.enable(location=self.system_kernels.parent / "elsewhere")
        with self.assertRaisesRegex(KernelSpecError, "would still win"):
            self.enable(location=self.system_kernels)

    def test_another_provisioner_is_not_replaced(self) -> None:
        spec = json.loads((self.system_spec / "kernel.json").read_text())
        spec["metadata"]["kernel_provisioner"] = {"provisioner_name": "other", "config": {}}
        (self.system_spec / "kernel.json").write_text(json.dumps(spec))
        with self.assertRaisesRegex(KernelSpecError, "other"):
            self.enable()
        self.assertEqual(disable(self.manager, "py"), f"not enabled in {self.system_spec}")
        self.assertEqual(provisioner_of(self.system_spec)["provisioner_name"], "other")

    def test_disable_removes_the_provisioner_and_is_idempotent(self) -> None:
        self.enable()
        self.assertEqual(disable(self.manager, "py"), f"disabled in {self.system_spec}")
        self.assertIsNone(provisioner_of(self.system_spec))
        self.assertEqual(disable(self.manager, "py"), f"not enabled in {self.system_spec}")

    def test_an_unknown_kernelspec(self) -> None:
        with self.assertRaisesRegex(KernelSpecError, "no such kernelspec"):
            enable(self.manager, "nosuch", None, {})


class CommandLineTest(unittest.TestCase):
    def setUp(self) -> None:
        root = Path(tempfile.mkdtemp())
        self.kernels = root / "path" / "kernels"
        write_kernelspec(self.kernels, "one", None)
        write_kernelspec(self.kernels, "two", None)
        environment = {"JUPYTER_PATH": str(root / "path"), "JUPYTER_DATA_DIR": str(root / "data")}
        patcher = mock.patch.dict(os.environ, environment)
        patcher.start()
        self.addCleanup(patcher.stop)

    def run_command(self, *arguments: str) -> tuple[int, str, str]:
        stdout, stderr = io.StringIO(), io.StringIO()
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                code = kernelspec_cli.main(list(arguments))
            except SystemExit as exit:
                code = exit.code
        return code, stdout.getvalue(), stderr.getvalue()

    def test_enable_named_kernelspecs_without_redaction_then_disable(self) -> None:
        code, stdout, _ = self.run_command("enable", "ONE", "--no-redact-output")
        self.assertEqual((code, stdout), (0, f"one: enabled in {self.kernels / 'one'}\n"))
        self.assertEqual(provisioner_of(self.kernels / "one")["config"], {"redact_output": False})
        self.assertIsNone(provisioner_of(self.kernels / "two"))
        self.assertEqual(self.run_command("disable", "one")[0], 0)
        self.assertIsNone(provisioner_of(self.kernels / "one"))

    def test_an_unknown_name_fails_after_the_others_are_done(self) -> None:
        code, stdout, stderr = self.run_command("enable", "nosuch", "two")
        self.assertEqual(code, 1)
        self.assertIn("nosuch: no such kernelspec\n", stderr)
        self.assertEqual(provisioner_of(self.kernels / "two"), OURS)

    def test_names_or_all_but_not_both(self) -> None:
        self.assertEqual(self.run_command("enable")[0], 2)
        self.assertEqual(self.run_command("enable", "--all", "one")[0], 2)


if __name__ == "__main__":
    unittest.main()

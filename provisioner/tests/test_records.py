import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

from kernel_secrets_provisioner import kernels_cli
from kernel_secrets_provisioner.records import read_records, remove_record, write_record

from .support import publish_version

RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def exited_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


class RecordsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = Path(tempfile.mkdtemp()) / "kernel-secrets"

    def test_a_record_holds_kernel_pid_revision_and_launch_time(self) -> None:
        write_record(self.directory, "k1", os.getpid(), "abc")
        [record] = read_records(self.directory)
        self.assertEqual(
            {key: record[key] for key in ("kernel_id", "pid", "revision", "alive")},
            {"kernel_id": "k1", "pid": os.getpid(), "revision": "abc", "alive": True},
        )
        self.assertRegex(record["launched_at"], RFC3339_UTC)

    def test_a_relaunch_replaces_the_record(self) -> None:
        write_record(self.directory, "k1", exited_pid(), "old")
        write_record(self.directory, "k1", os.getpid(), "new")
        self.assertEqual(
            [(r["revision"], r["alive"]) for r in read_records(self.directory)], [("new", True)]
        )
        self.assertEqual(os.listdir(self.directory), ["k1.json"], "no temporary file is left")

    def test_a_record_whose_process_is_gone_is_not_alive(self) -> None:
        write_record(self.directory, "k1", exited_pid(), "abc")
        self.assertEqual([r["alive"] for r in read_records(self.directory)], [False])

    def test_removing_a_record(self) -> None:
        write_record(self.directory, "k1", os.getpid(), "abc")
        remove_record(self.directory, "k1")
        remove_record(self.directory, "k1")
        self.assertEqual(read_records(self.directory), [])


class KernelsCommandTest(unittest.TestCase):
    def test_prints_the_current_revision_and_every_record(self) -> None:
        runtime = Path(tempfile.mkdtemp())
        volume = Path(tempfile.mkdtemp()) / "kernel-secrets"
        publish_version(volume, {"API-TOKEN": b"value"}, "rev-2")
        write_record(runtime / "kernel-secrets", "k1", os.getpid(), "rev-1")
        environment = {"JUPYTER_RUNTIME_DIR": str(runtime), "KERNEL_SECRETS_DIR": str(volume)}
        output = io.StringIO()
        with mock.patch.dict(os.environ, environment), redirect_stdout(output):
            kernels_cli.main()
        status = json.loads(output.getvalue())
        self.assertEqual(status["revision"], "rev-2")
        self.assertEqual(
            [(k["kernel_id"], k["revision"], k["alive"]) for k in status["kernels"]],
            [("k1", "rev-1", True)],
        )
        self.assertNotIn("value", output.getvalue())


if __name__ == "__main__":
    unittest.main()

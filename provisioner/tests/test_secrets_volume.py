import os
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from kernel_secrets_provisioner.secrets_volume import (
    environment_with_secrets,
    read_revision,
    read_snapshot,
    secrets_directory,
)

from .support import digest, publish_version, random_value


class KubeletLayoutTest(unittest.TestCase):
    def setUp(self) -> None:
        self.volume = Path(tempfile.mkdtemp()) / "kernel-secrets"
        self.token = random_value()

    def test_reads_every_secret_and_the_revision_through_data(self) -> None:
        publish_version(self.volume, {"API-TOKEN": self.token.encode(), "DB": b"x" * 8}, "abc123")
        snapshot = read_snapshot(self.volume)
        self.assertEqual(sorted(snapshot.values), ["API-TOKEN", "DB"])
        self.assertEqual(digest(snapshot.values["API-TOKEN"]), digest(self.token))
        self.assertEqual(snapshot.revision, "abc123")

    def test_dot_entries_are_not_secrets(self) -> None:
        publish_version(self.volume, {"API-TOKEN": b"v"}, "abc123")
        names = set(os.listdir(self.volume))
        self.assertTrue({"..data", ".meta"} <= names, "the layout has the kubelet's entries")
        self.assertEqual(list(read_snapshot(self.volume).values), ["API-TOKEN"])

    def test_a_deleted_secret_is_gone_from_the_next_version(self) -> None:
        publish_version(self.volume, {"API-TOKEN": b"v1", "OLD": b"o"}, "r1")
        publish_version(self.volume, {"API-TOKEN": b"v2"}, "r2")
        snapshot = read_snapshot(self.volume)
        self.assertEqual(list(snapshot.values), ["API-TOKEN"])
        self.assertEqual((snapshot.values["API-TOKEN"], snapshot.revision), ("v2", "r2"))

    def test_values_come_from_the_version_data_points_at(self) -> None:
        # Mid-update: the kubelet has switched ..data to the new version but not yet linked the
        # new secret at the top level, and a leftover link of a removed secret still dangles.
        publish_version(self.volume, {"API-TOKEN": b"v1", "OLD": b"o"}, "r1")
        publish_version(self.volume, {"API-TOKEN": b"v2", "NEW": b"n"}, "r2")
        (self.volume / "NEW").unlink()
        (self.volume / "OLD").symlink_to("..data/OLD")
        snapshot = read_snapshot(self.volume)
        self.assertEqual((sorted(snapshot.values), snapshot.revision), (["API-TOKEN", "NEW"], "r2"))

    def test_values_are_bytes_decoded_like_the_environment(self) -> None:
        value = b"caf\xc3\xa9 \xff\nline two\n"
        publish_version(self.volume, {"API-TOKEN": value}, None)
        self.assertEqual(os.fsencode(read_snapshot(self.volume).values["API-TOKEN"]), value)

    def test_a_value_with_a_nul_byte_is_left_out_by_name(self) -> None:
        publish_version(self.volume, {"BROKEN": b"a\0b", "GOOD": b"g"}, None)
        snapshot = read_snapshot(self.volume)
        self.assertEqual((list(snapshot.values), snapshot.unusable_names), (["GOOD"], ("BROKEN",)))

    def test_a_missing_revision_is_unknown(self) -> None:
        publish_version(self.volume, {"API-TOKEN": b"v"}, None)
        self.assertEqual(read_snapshot(self.volume).revision, "unknown")
        self.assertEqual(read_revision(self.volume), "unknown")


class PlainDirectoryTest(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = Path(tempfile.mkdtemp())

    def test_a_plain_directory_is_read_as_it_is(self) -> None:
        (self.directory / "API-TOKEN").write_bytes(b"value")
        (self.directory / ".meta").mkdir()
        (self.directory / ".meta" / "revision").write_text("none\n")
        (self.directory / ".hidden").write_text("not a secret")
        snapshot = read_snapshot(self.directory)
        self.assertEqual((snapshot.values, snapshot.revision), ({"API-TOKEN": "value"}, "none"))

    def test_names_outside_the_name_rule_are_not_secrets(self) -> None:
        for name in ("API_TOKEN", "9LIVES", "a=b"):
            (self.directory / name).write_bytes(b"v")
        (self.directory / "SUBDIR").mkdir()
        self.assertEqual(read_snapshot(self.directory).values, {})

    def test_an_empty_directory_has_no_secrets(self) -> None:
        snapshot = read_snapshot(self.directory)
        self.assertEqual((snapshot.values, snapshot.revision), ({}, "unknown"))

    def test_a_missing_directory_is_no_snapshot(self) -> None:
        self.assertIsNone(read_snapshot(self.directory / "absent"))

    def test_the_directory_comes_from_the_environment(self) -> None:
        with mock.patch.dict(os.environ, {"KERNEL_SECRETS_DIR": str(self.directory)}):
            self.assertEqual(secrets_directory(), self.directory)
        with mock.patch.dict(os.environ, clear=True):
            self.assertEqual(secrets_directory(), Path("/var/run/kernel-secrets"))


class EnvironmentTest(unittest.TestCase):
    def test_secrets_override_the_inherited_environment_in_a_new_dict(self) -> None:
        inherited = {"PATH": "/bin", "API-TOKEN": "from-server"}
        environment = environment_with_secrets(inherited, {"API-TOKEN": "secret", "DB": "d"})
        self.assertEqual(environment, {"PATH": "/bin", "API-TOKEN": "secret", "DB": "d"})
        self.assertEqual(inherited, {"PATH": "/bin", "API-TOKEN": "from-server"})


if __name__ == "__main__":
    unittest.main()

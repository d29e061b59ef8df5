"""``kernel-secrets-kernels``: the kernels of this notebook server and the revision each one has.

Prints ``{"revision": <the volume's current revision>, "kernels": [<record>, ...]}`` as JSON, each
record with ``"alive"``. The kubectl plugin runs it through ``kubectl exec`` and compares each
kernel's revision with the current one to tell which kernels a restart would update.
"""

from __future__ import annotations

import json
import sys

from .records import read_records, records_directory
from .secrets_volume import read_revision, secrets_directory


def main() -> None:
    status = {
        "revision": read_revision(secrets_directory()),
        "kernels": read_records(records_directory()),
    }
    json.dump(status, sys.stdout, indent=2)
    sys.stdout.write("\n")

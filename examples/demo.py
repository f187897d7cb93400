"""The README demo: open namidb on the embedded default stores."""

from __future__ import annotations

import tempfile

import namidb


def main() -> None:
    with namidb.Client("memory://demo") as client:
        print("opened", client.store_repr())
    with tempfile.TemporaryDirectory() as folder, namidb.Client(f"file://{folder}?ns=demo") as client:
        print("opened", client.store_repr(), "- namespace folder:", client.namespace_prefix())
    print("namidb", namidb.__version__, "- next id:", namidb.uuid7())


if __name__ == "__main__":
    main()

"""WAL records: one record is a batch of mutations of one label or edge type.

A record carries a base LSN and an Arrow table of rows; row ``i`` has LSN
``lsn + i``, so every single mutation has its own LSN and "last write wins by
LSN" needs no tie-break. The table never stores the LSN column (it is derived).

Node rows: ``__id`` fixed_size_binary(16), ``__tomb`` bool, ``__labels``
list<string> (null = just the primary label), then property columns.
Edge rows: ``__src``, ``__dst``, ``__ekey`` fixed_size_binary(16), ``__tomb``
bool, then property columns. An edge tombstone whose ``__ekey`` is
:data:`~namidb_core.storage.layout.WILDCARD_EKEY` removes every edge of the
type between ``__src`` and ``__dst`` with a lower LSN.

Payload encoding: kind byte, u32 little-endian name length, UTF-8 name, then the table as
an Arrow IPC stream.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.ipc as ipc

__all__ = ["RecordKind", "WalRecord", "decode_payload", "encode_payload"]

# Explicit options: without them every stream writer reads two legacy-format
# environment variables (measurable on the ~1 ms single-commit path).
_IPC_OPTIONS = ipc.IpcWriteOptions()


class RecordKind(enum.IntEnum):
    """What a record's rows are."""

    NODES = 1
    EDGES = 2


@dataclass(frozen=True)
class WalRecord:
    """A batch of mutations of one label (nodes) or one edge type (edges)."""

    lsn: int
    kind: RecordKind
    name: str
    table: pa.Table

    @property
    def count(self) -> int:
        """How many LSNs the record covers (its row count)."""
        return int(self.table.num_rows)

    @property
    def last_lsn(self) -> int:
        """The LSN of its last row."""
        return self.lsn + self.count - 1


def encode_payload(record: WalRecord) -> bytes:
    """The record's payload bytes (everything but the frame)."""
    name = record.name.encode("utf-8")
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, record.table.schema, options=_IPC_OPTIONS) as writer:
        writer.write_table(record.table)
    head = bytes([int(record.kind)]) + len(name).to_bytes(4, "little") + name
    return b"".join((head, sink.getvalue()))  # one copy (Arrow buffers export the buffer protocol)


def decode_payload(lsn: int, payload: bytes) -> WalRecord:
    """Inverse of :func:`encode_payload`; raises ValueError on malformed bytes."""
    if len(payload) < 5:
        raise ValueError("record payload too short")
    kind = RecordKind(payload[0])
    n = int.from_bytes(payload[1:5], "little")
    name = payload[5 : 5 + n].decode("utf-8")
    try:
        table = ipc.open_stream(pa.py_buffer(payload[5 + n :])).read_all()
    except pa.ArrowException as e:
        raise ValueError(f"bad Arrow payload: {e}") from e
    return WalRecord(lsn, kind, name, table)

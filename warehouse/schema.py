"""Arrow schemas and rows derived from the record dataclasses (one schema, one place).

A record's fields are declared once, in ``extractors/records.py``; the loads build their Arrow
tables from those declarations plus the few columns only the warehouse adds (run ids, load
times, fingerprints). Integers are 32-bit (offsets, counts, statuses), datetimes are UTC.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
STR_LIST = pa.list_(pa.string())

_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int32(),
    float: pa.float64(),
    bool: pa.bool_(),
    bytes: pa.binary(),
    datetime: TS,
}


def arrow_type(hint: Any) -> pa.DataType:
    """The Arrow type of one annotated field (``X | None`` is nullable X; tuples are lists)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"unsupported union {hint!r}")
        return arrow_type(inner[0])
    if origin in (tuple, list):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return pa.list_(arrow_type(args[0]))
    if hint in _SCALARS:
        return _SCALARS[hint]
    raise TypeError(f"no Arrow type for {hint!r}")


@cache
def _fields(cls: type) -> tuple[tuple[str, pa.DataType], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, arrow_type(hints[f.name])) for f in dataclasses.fields(cls))


def arrow_schema(
    cls: type,
    exclude: Iterable[str] = (),
    extra: Sequence[tuple[str, pa.DataType]] = (),
) -> pa.Schema:
    """The record's fields (minus ``exclude``) followed by warehouse-only ``extra`` columns."""
    skip = set(exclude)
    return pa.schema([f for f in _fields(cls) if f[0] not in skip] + list(extra))


def row(obj: Any, exclude: Iterable[str] = (), **extra: Any) -> dict[str, Any]:
    """One record as a row dict (tuples become lists), plus warehouse-only columns."""
    skip = set(exclude)
    out = {}
    for name, _ in _fields(type(obj)):
        if name in skip:
            continue
        value = getattr(obj, name)
        out[name] = list(value) if isinstance(value, tuple) else value
    out.update(extra)
    return out


def table(rows: Sequence[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=schema)

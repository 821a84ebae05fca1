"""Schema evolution of the full copy (Iceberg) from the schema the source shows now.

- a new source column is added (nullable) to the full copy;
- a column gone from the source stays in the full copy: merged tables keep its last value on
  rows updated later and insert NULL; a snapshot reload (whole table) leaves it NULL;
- a widened type is widened where Iceberg can promote in place (int->bigint, float->double,
  decimal(p,s)->decimal(p',s) with p'>p);
- a type the full copy's type can hold losslessly is cast up (e.g. smallint into int, anything
  into string, date into timestamp);
- anything else is an incompatible change: that table fails with a clear message, the job
  goes on with the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyspark.sql import types as T

from .errors import IncompatibleSchemaChange

_INTEGRAL_RANK: dict[type[T.DataType], int] = {T.ByteType: 1, T.ShortType: 2, T.IntegerType: 3, T.LongType: 4}
_INTEGRAL_DIGITS: dict[type[T.DataType], int] = {T.ByteType: 3, T.ShortType: 5, T.IntegerType: 10, T.LongType: 19}


def _rank(dt: T.DataType) -> int | None:
    return _INTEGRAL_RANK.get(type(dt))


@dataclass
class Evolution:
    add: list[T.StructField] = field(default_factory=list)
    widen: list[tuple[str, T.DataType]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.add or self.widen)


def _compare(name: str, src: T.DataType, dst: T.DataType) -> T.DataType | None:
    """None: the source type fits (cast up if needed). A type: widen the target to it."""
    if src == dst:
        return None
    rs, rd = _rank(src), _rank(dst)
    if rs is not None and rd is not None:
        if rs <= rd:
            return None
        # Iceberg stores tinyint/smallint as int and can promote int to bigint only.
        return T.LongType() if isinstance(src, T.LongType) else T.IntegerType()
    if isinstance(src, T.FloatType) and isinstance(dst, T.DoubleType):
        return None
    if isinstance(src, T.DoubleType) and isinstance(dst, T.FloatType):
        return T.DoubleType()
    if isinstance(src, T.DecimalType) and isinstance(dst, T.DecimalType):
        if src.scale == dst.scale:
            return None if src.precision <= dst.precision else T.DecimalType(src.precision, src.scale)
        if src.scale < dst.scale and src.precision - src.scale <= dst.precision - dst.scale:
            return None  # fits with more fractional digits
    if rs is not None and isinstance(dst, T.DecimalType):
        if _INTEGRAL_DIGITS[type(src)] <= dst.precision - dst.scale:
            return None
    if isinstance(dst, T.StringType) and not isinstance(src, T.BinaryType):
        return None
    if isinstance(src, T.DateType) and isinstance(dst, T.TimestampType):
        return None
    raise IncompatibleSchemaChange(
        f"column {name}: source type {src.simpleString()} cannot be loaded into the full copy's "
        f"{dst.simpleString()} (not a widening Iceberg supports); fix the source or migrate the table"
    )


def plan_evolution(source: T.StructType, target: T.StructType) -> Evolution:
    by_name = {f.name.lower(): f for f in target.fields}
    evo = Evolution()
    for f in source.fields:
        existing = by_name.get(f.name.lower())
        if existing is None:
            evo.add.append(T.StructField(f.name, f.dataType, True))
            continue
        widened = _compare(f.name, f.dataType, existing.dataType)
        if widened is not None:
            evo.widen.append((existing.name, widened))
    return evo

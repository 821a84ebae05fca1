"""The canonical form agrees between the source engine's SQL and Spark SQL for every type the job
loads, on MariaDB and on PostgreSQL (ENGINES).

Rows with edge values are loaded through the real job; then, per column and row, the canonical
text computed by the source engine equals the one Spark computes on the full copy, so do the
row hashes, and the reconcile finds the copy equal. Changing any single value (including to an
adjacent double, a microsecond, a letter's case, NULL instead of '') changes that row's hash.
A seeded randomized table then goes through the same loop."""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass
from typing import Any

import pytest

from lake_ingest import canonical, reconcile
from lake_ingest.dialects import dialect_for
from lake_ingest.source import SourceColumn
from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")

MARIADB_DDL = """CREATE TABLE all_types (
  id INT NOT NULL PRIMARY KEY,
  i8 TINYINT NULL, u8 TINYINT UNSIGNED NULL, flag TINYINT(1) NULL, i16 SMALLINT NULL,
  u24 MEDIUMINT UNSIGNED NULL, i32 INT NULL, u64 BIGINT UNSIGNED NULL, i64 BIGINT NULL,
  dec4 DECIMAL(18,4) NULL, huge DECIMAL(65,30) NULL, f FLOAT NULL, d DOUBLE NULL,
  day DATE NULL, dt0 DATETIME NULL, dt3 DATETIME(3) NULL, dt6 DATETIME(6) NULL,
  ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME NULL, tm6 TIME(6) NULL, yr YEAR NULL,
  c CHAR(5) NULL, vc VARCHAR(100) NULL, tx TEXT NULL, en ENUM('a','b') NULL, st SET('x','y') NULL,
  js JSON NULL, bn BINARY(4) NULL, vb VARBINARY(10) NULL, bl BLOB NULL
) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"""

MARIADB_ROWS = [
    "(1, -5, 200, 2, -300, 70000, -2000000, 18446744073709551615, -9223372036854775808, 12345678901234.5678,"
    " 12345678901234567890123456789012345.123456789012345678901234567890, 0.1, 0.3, '2024-02-29',"
    " '2024-02-29 23:59:59', '2024-02-29 23:59:59.123', '2024-02-29 23:59:59.123456', '2024-03-31 02:30:00.000001',"
    " '-838:59:59', '12:00:00.500000', 2024, 'ab', 'Grüße ✓ 😀', 'a', 'b', 'x,y', '{\"k\": [1, 2.5, \"😀\"]}',"
    " x'00FF0001', x'DEADBEEF', x'00')",
    "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.0, '0000-00-00', '0000-00-00 00:00:00', NULL, NULL, NULL, '00:00:00',"
    " '00:00:00', 0, '', '', '', 'a', '', '{}', x'00000000', x'', x'')",
    "(4, 127, 255, 127, 32767, 16777215, 2147483647, 9223372036854775808, 9223372036854775807, -0.0001,"
    " -0.000000000000000000000000000001, 3.40282e38, 1.7976931348623157e308, '1900-01-01', '9999-12-31 23:59:59',"
    " '1970-01-01 00:00:00.001', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59',"
    " '-00:00:01.000001', 1901, 'zzzzz', '3:abc', 'N', 'b', 'y', '[]', x'FFFFFFFF', x'0A0D', x'FF00')",
    "(5, -128, 1, 1, -32768, 1, -1, 1, -1, 0.5, 1, 1.17549e-38, 4.9e-324, '2000-01-01', '2000-01-01 00:00:00',"
    " '2000-01-01 00:00:00.5', '2000-01-01 00:00:00.000001', '1970-01-01 00:00:01', '-00:00:01', '23:59:59.999999',"
    " 2155, 'ß', 'tab\\tand\\nnewline', 'case', 'a', 'x', '\"s\"', x'61626364', x'61', x'62')",
    "(6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1.5, 2.82879384806159E17, '2000-01-01', '2000-01-01 00:00:00',"
    " '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '01:00:00', '01:00:00', 1999,"
    " 'a', '1e20', 'x', 'a', 'x', 'null', x'01', x'01', x'01')",
    "(7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 16777217, 123456789012345680000, '2000-01-01', '2000-01-01 00:00:00',"
    " '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '01:00:00', '01:00:00', 1999,"
    " 'a', 'x', 'x', 'a', 'x', '1', x'01', x'01', x'01')",
    "(8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1e-7, -2.2250738585072014e-308, '2000-01-01', '2000-01-01 00:00:00',"
    " '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '01:00:00', '01:00:00', 1999,"
    " 'a', 'x', 'x', 'a', 'x', '1', x'01', x'01', x'01')",
]

MARIADB_MUTATIONS = [
    ("i8", 1, "-6"),
    ("u8", 1, "201"),
    ("flag", 1, "3"),
    ("i16", 1, "-301"),
    ("u24", 1, "70001"),
    ("i32", 1, "-2000001"),
    ("u64", 1, "18446744073709551614"),
    ("i64", 1, "-9223372036854775807"),
    ("dec4", 1, "12345678901234.5679"),
    ("huge", 1, "12345678901234567890123456789012345.123456789012345678901234567891"),
    ("f", 1, "0.2"),
    ("d", 1, "0.30000000000000004"),  # the adjacent double
    ("day", 1, "'2024-02-28'"),
    ("dt0", 1, "'2024-02-29 23:59:58'"),
    ("dt3", 1, "'2024-02-29 23:59:59.124'"),
    ("dt6", 1, "'2024-02-29 23:59:59.123457'"),
    ("ts", 1, "'2024-03-31 02:30:00.000002'"),
    ("tm", 1, "'838:59:59'"),
    ("tm6", 1, "'12:00:00.500001'"),
    ("yr", 1, "2023"),
    ("c", 1, "'AB'"),  # case only: equal under the collation, not in the lake
    ("vc", 1, "'Grüsse ✓ 😀'"),
    ("tx", 1, "'A'"),
    ("en", 1, "'a'"),
    ("st", 1, "'x'"),
    ("js", 1, '\'{"k": [1, 2.5, "😁"]}\''),
    ("bn", 1, "x'00FF0002'"),
    ("vb", 1, "x'DEADBEEE'"),
    ("bl", 1, "x'01'"),
    ("vc", 3, "NULL"),  # NULL is not ''
    ("tx", 3, "' '"),
    ("d", 3, "1e-300"),
    ("d", 4, "1.7976931348623155e308"),
    ("d", 5, "1e-323"),  # the next subnormal
]

PG_DDL = """CREATE TABLE all_types (
  id INT NOT NULL PRIMARY KEY,
  i16 SMALLINT NULL, i32 INTEGER NULL, i64 BIGINT NULL, flag BOOLEAN NULL,
  n_free NUMERIC NULL, n_wide NUMERIC(50,10) NULL, n_dec NUMERIC(18,4) NULL, n_small NUMERIC(38,20) NULL,
  n_int NUMERIC(20,0) NULL, r REAL NULL, d DOUBLE PRECISION NULL,
  day DATE NULL, ts0 TIMESTAMP(0) NULL, ts6 TIMESTAMP(6) NULL, tstz TIMESTAMPTZ(6) NULL, tm TIME(6) NULL,
  ttz TIMETZ NULL, iv INTERVAL NULL, c CHAR(5) NULL, vc VARCHAR(100) NULL, tx TEXT NULL, u UUID NULL,
  js JSON NULL, jb JSONB NULL, mood "Mood" NULL, ints INT[] NULL, texts TEXT[] NULL, b BYTEA NULL,
  m MONEY NULL, ip INET NULL
)"""

PG_ROWS = [
    "(1, -300, -2000000, -9223372036854775808, true, 12345678901234567890.123456789012345678901,"
    " 1234567890123456789012345678901234567890.0123456789, 12345678901234.5678, 0.00000000000000000001,"
    " 99999999999999999999, 0.1, 0.3, '2024-02-29', '2024-02-29 23:59:59', '2024-02-29 23:59:59.123456',"
    " '2024-03-31 02:30:00.000001+02', '13:45:00.5', '13:45:00+02', '1 year 2 mons 3 days 04:05:06.5',"
    " 'ab', 'Grüße ✓ 😀', 'a', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": 1, \"a\": [1, 2.5, \"😀\"]}',"
    ' \'{"b": 1, "a": [1, 2], "a": 3}\', \'happy\', \'{1,2,NULL}\', \'{"a b","c\\"d",NULL}\', \'\\x00ff0001\','
    " 1234.56, '192.168.0.1/24')",
    "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
    "(3, 0, 0, 0, false, 0, 0, 0, 0, 0, '-0', '-0', '1970-01-01', '1970-01-01 00:00:00', '1970-01-01 00:00:00',"
    " '1970-01-01 00:00:00+00', '00:00:00', '00:00:00+00', '0 seconds', '', '', '', '00000000-0000-0000-0000-000000000000',"
    " '{}', '{}', 'sad', '{}', '{}', '\\x', 0, '0.0.0.0')",
    "(4, 32767, 2147483647, 9223372036854775807, true, 'NaN', -0.0000000001, -0.0001, -99.99999999999999999999,"
    " -99999999999999999999, 'Infinity', '-Infinity', '0001-01-01', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999999',"
    " '2038-01-19 03:14:07.999999+00', '23:59:59.999999', '24:00:00-15:59', '-178000000 years', 'zzzzz', '3:abc', 'N',"
    " 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', '[]', 'happy', '{{1,2},{3,4}}', '{\"\"}', '\\xffffffff',"
    " -92233720368547758.08, '::1')",
    "(5, -32768, -2147483648, -1, false, '1e-50', 1, 0.5, 1, 1, 1.17549435e-38, 4.9e-324, '1582-10-04',"
    " '1000-01-01 00:00:00', '2000-01-01 00:00:00.000001', '1970-01-01 00:00:01+00', '00:00:00.000001',"
    " '00:00:00.000001-01', '-1 days +00:00:00.000001', 'ß', E'tab\\tand\\nnewline', 'case', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12',"
    " '\"s\"', '\"s\"', 'sad', '{-1}', '{\"\\\\\"}', '\\x61626364', 0.01, '10.0.0.0/8')",
    "(6, 1, 1, 1, true, 1, 1, 1, 1, 1, -1.5, 2.82879384806159E17, '2000-01-01', '2000-01-01 00:00:00',"
    " '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', '01:00:00', '01:00:00+00', 'P1D', 'a', '1e20', 'x',"
    " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', 'null', 'null', 'sad', '{1}', '{x}', '\\x01', 1, '1.1.1.1')",
    "(7, 1, 1, 1, true, 1, 1, 1, 1, 1, 16777217, 123456789012345680000, '2000-01-01', '2000-01-01 00:00:00',"
    " '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', '01:00:00', '01:00:00+00', 'P1D', 'a', 'x', 'x',"
    " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a14', '1', '1', 'sad', '{1}', '{x}', '\\x01', 1, '1.1.1.1')",
    "(8, 1, 1, 1, true, 1, 1, 1, 1, 1, 1e-7, 'NaN', '2000-01-01', '2000-01-01 00:00:00',"
    " '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', '01:00:00', '01:00:00+00', 'P1D', 'a', 'x', 'x',"
    " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a15', '1', '1', 'sad', '{1}', '{x}', '\\x01', 1, '1.1.1.1')",
]

PG_MUTATIONS = [
    ("i16", 1, "-301"),
    ("i32", 1, "-2000001"),
    ("i64", 1, "-9223372036854775807"),
    ("flag", 1, "false"),
    ("n_free", 1, "12345678901234567890.123456789012345678902"),
    ("n_free", 1, "12345678901234567890.1234567890123456789010"),  # same number, one more digit written
    ("n_wide", 1, "1234567890123456789012345678901234567890.0123456788"),
    ("n_dec", 1, "12345678901234.5679"),
    ("n_small", 1, "0.00000000000000000002"),
    ("n_int", 1, "99999999999999999998"),
    ("r", 1, "0.10000001"),  # the adjacent real
    ("d", 1, "0.30000000000000004"),  # the adjacent double
    ("day", 1, "'2024-02-28'"),
    ("ts0", 1, "'2024-02-29 23:59:58'"),
    ("ts6", 1, "'2024-02-29 23:59:59.123457'"),
    ("tstz", 1, "'2024-03-31 02:30:00.000002+02'"),
    ("tstz", 1, "'2024-03-31 02:30:00.000001+03'"),  # the same wall time, another instant
    ("tm", 1, "'13:45:00.500001'"),
    ("ttz", 1, "'13:45:00+03'"),
    ("iv", 1, "'1 year 2 mons 3 days 04:05:06.500001'"),
    ("c", 1, "'AB'"),
    ("vc", 1, "'Grüsse ✓ 😀'"),
    ("tx", 1, "'A'"),
    ("tx", 1, "'a '"),  # a trailing space
    ("u", 1, "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a10'"),
    ("js", 1, '\'{"b":1, "a": [1, 2.5, "😀"]}\''),  # json keeps the text as written
    ("jb", 1, '\'{"a": 4, "b": 1}\''),
    ("mood", 1, "'sad'"),
    ("ints", 1, "'{1,2,3}'"),
    ("texts", 1, '\'{"a b","c\\"d",""}\''),  # '' instead of NULL in an array
    ("b", 1, "'\\x00ff0002'"),
    ("m", 1, "1234.57"),
    ("ip", 1, "'192.168.0.1/25'"),
    ("vc", 3, "NULL"),  # NULL is not ''
    ("tx", 3, "' '"),
    ("c", 3, "NULL"),
    ("d", 3, "1e-300"),
    ("d", 4, "'Infinity'"),
    ("r", 4, "'NaN'"),
    ("d", 5, "1e-323"),  # the next subnormal
    ("d", 8, "'-Infinity'"),
    ("n_free", 4, "0"),  # NaN is not 0
]


@dataclass(frozen=True)
class TypeCase:
    setup: tuple[str, ...]  # statements before the DDL (an enum type, a permissive sql_mode)
    ddl: str
    rows: list[str]
    mutations: list[tuple[str, int, str]]  # (column, row id, new value): as small a change as possible


CASES = {
    "mariadb": TypeCase(("SET SESSION sql_mode = ''",), MARIADB_DDL, MARIADB_ROWS, MARIADB_MUTATIONS),
    "postgresql": TypeCase(("""CREATE TYPE "Mood" AS ENUM ('sad', 'happy')""",), PG_DDL, PG_ROWS, PG_MUTATIONS),
}


def source_columns(lake: Lake, table: str) -> list[SourceColumn]:
    """The columns as the job's dialect reports them (its metadata query, on the test's connection)."""

    class Direct:
        def query(self, sql: str, params: tuple[str, ...] = ()) -> list[tuple[str | None, ...]]:
            with lake.src.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), params)
                return [tuple(None if v is None else str(v) for v in row) for row in cur.fetchall()]

        def scalar(self, sql: str, params: tuple[str, ...] = ()) -> str | None:
            rows = self.query(sql, params)
            return rows[0][0] if rows else None

    return dialect_for(lake.engine).columns(Direct(), lake.schema, table)


def source_texts(lake: Lake, table: str, columns: list[SourceColumn]) -> dict[int, tuple[Any, ...]]:
    init = dialect_for(lake.engine).session_init()  # as on the job's sessions (PostgreSQL: IntervalStyle)
    if init:
        lake.sql(init)
    exprs = ", ".join(canonical.source_text(c) for c in columns)
    hashed = canonical.source_row_hash(columns)
    return {int(r[0]): tuple(r[1:]) for r in lake.sql(f"SELECT id, {exprs}, {hashed} FROM {lake.q(table)}")}


def lake_texts(lake: Lake, spec: dict[str, Any], columns: list[SourceColumn]) -> dict[int, tuple[Any, ...]]:
    present = {c.lake_name for c in columns}
    exprs = ", ".join(canonical.lake_text(c, present) for c in columns)
    hashed = canonical.lake_row_hash(columns, present)
    rows = lake.spark.sql(f"SELECT id, {exprs}, {hashed} FROM {lake.ident(spec)}").collect()
    return {int(r[0]): tuple(int(v) if i == len(columns) else v for i, v in enumerate(r[1:])) for r in rows}


def verify(lake: Lake, spec: dict[str, Any]) -> dict[str, Any]:
    res = lake.load_one({**spec, "reconcile": {"mode": "verify", "skipLoad": True, "repairAlertRows": 0}})
    assert res.reconcile is not None, res.error
    return res.reconcile


@pytest.fixture(scope="module")
def loaded(lake: Lake) -> dict[str, Any]:
    case = CASES[lake.engine]
    lake.sql(*case.setup, case.ddl, "INSERT INTO all_types VALUES " + ", ".join(case.rows))
    spec = lake.spec(name="all_types", strategy="snapshot", primaryKey=["id"])
    res = lake.load_one(spec)
    assert res.status == "LOADED" and res.rowsRead == len(case.rows), res.error
    return spec


def test_every_type_has_the_same_canonical_text_on_both_sides(lake: Lake, loaded: dict[str, Any]) -> None:
    columns = source_columns(lake, "all_types")
    source = source_texts(lake, "all_types", columns)
    full = lake_texts(lake, loaded, columns)
    assert source.keys() == full.keys()
    differing = []
    for row_id, values in source.items():
        for c, a, b in zip([*columns, None], values, full[row_id], strict=True):
            name = c.name if c else "row hash"
            if (a if c else int(str(a))) != b:
                differing.append(f"row {row_id} column {name}: {lake.engine} {a!r} vs Spark {b!r}")
    assert not differing, "\n".join(differing)
    block = verify(lake, loaded)
    assert block["equal"] is True and block["method"] == "ranges"


def test_one_changed_value_changes_the_row_hash(lake: Lake, loaded: dict[str, Any]) -> None:
    """Each mutation of the engine's list, applied alone in a transaction rolled back afterwards."""
    columns = source_columns(lake, "all_types")
    full = {row_id: values[-1] for row_id, values in lake_texts(lake, loaded, columns).items()}
    before = source_texts(lake, "all_types", columns)
    assert {row_id: int(str(values[-1])) for row_id, values in before.items()} == full
    unnoticed = []
    for column, row_id, value in CASES[lake.engine].mutations:
        with lake.src.cursor() as cur:
            cur.execute("START TRANSACTION")
            try:
                cur.execute(f"UPDATE all_types SET {lake.q(column)} = {value} WHERE id = {row_id}")
                assert cur.rowcount == 1, f"{column} = {value} did not change row {row_id}"
                changed = source_texts(lake, "all_types", columns)[row_id][-1]
            finally:
                cur.execute("ROLLBACK")
        if int(str(changed)) == full[row_id]:
            unnoticed.append(f"{column} = {value} (row {row_id})")
    assert not unnoticed, f"changes the row hash does not see: {unnoticed}"


def random_rows(seed: int, count: int, pg: bool) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    alphabet = "aAbßé✓😀 :N\\'\"\t"

    def maybe(value: Any) -> Any:
        return None if rng.random() < 0.1 else value

    def double() -> float:
        while True:
            (value,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
            if value == value and abs(value) != float("inf"):
                return float(value)

    rows = []
    for i in range(1, count + 1):
        rows.append(
            (
                i,
                maybe(rng.randint(-(2**63), 2**63 - 1)),
                maybe(rng.randint(0, 2**64 - 1)),
                maybe(f"{rng.randint(-(10**13), 10**13)}.{rng.randint(0, 9999):04d}"),
                maybe(double() if rng.random() < 0.5 else round(rng.uniform(-1e6, 1e6), rng.randint(0, 9))),
                maybe(rng.uniform(-1e6, 1e6)),
                maybe(
                    f"{rng.randint(1900, 2100)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999999):06d}"
                ),
                maybe(
                    f"{rng.randint(1971, 2037)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999999):06d}"
                ),
                maybe("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))),
                maybe(rng.randbytes(rng.randint(0, 8))),
                maybe(
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999999):06d}"
                    if pg  # PostgreSQL's time is a time of day
                    else f"{rng.choice('-+')}{rng.randint(0, 838)}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
                ),
            )
        )
    return rows


RANDOM_TYPES = {
    "mariadb": {
        "u64": "BIGINT UNSIGNED",
        "d": "DOUBLE",
        "f": "FLOAT",
        "dt6": "DATETIME(6)",
        "ts": "TIMESTAMP(6)",
        "vb": "VARBINARY(8)",
        "table": " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    },
    "postgresql": {
        "u64": "NUMERIC(20,0)",
        "d": "DOUBLE PRECISION",
        "f": "REAL",
        "dt6": "TIMESTAMP(6)",
        "ts": "TIMESTAMPTZ(6)",
        "vb": "BYTEA",
        "table": "",
    },
}


def test_randomized_rows_load_and_reconcile_equal(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reconcile, "CHUNK_ROWS", 100)
    monkeypatch.setattr(reconcile, "LEAF_ROWS", 10)
    types = RANDOM_TYPES[lake.engine]
    lake.sql(f"""CREATE TABLE random_rows (
      id INT NOT NULL PRIMARY KEY, i64 BIGINT NULL, u64 {types["u64"]} NULL, dec4 DECIMAL(18,4) NULL,
      d {types["d"]} NULL, f {types["f"]} NULL, dt6 {types["dt6"]} NULL, ts {types["ts"]} NULL DEFAULT NULL,
      vc VARCHAR(40) NULL, vb {types["vb"]} NULL, tm TIME NULL){types["table"]}""")
    rows = random_rows(seed=20261129, count=600, pg=lake.pg)
    with lake.src.cursor() as cur:
        cur.executemany(f"INSERT INTO random_rows VALUES ({', '.join(['%s'] * 11)})", rows)
    spec = lake.spec(name="random_rows", strategy="snapshot", primaryKey=["id"])
    first = lake.load_one(spec)
    assert first.status == "LOADED" and first.rowsRead == 600, first.error
    columns = source_columns(lake, "random_rows")
    source = source_texts(lake, "random_rows", columns)
    full = lake_texts(lake, spec, columns)
    differing = [i for i in source if (*source[i][:-1], int(str(source[i][-1]))) != full.get(i)]
    assert not differing, (
        f"rows whose canonical text differs: {differing[:5]}: {source[differing[0]]} vs {full.get(differing[0])}"
    )
    block = verify(lake, spec)
    assert block["equal"] is True and block["rangesCompared"] >= 6

    rng = random.Random(7)
    changed = rng.sample(range(1, 601), 9)
    lake.sql(
        *[f"UPDATE random_rows SET vc = CONCAT(COALESCE(vc, ''), '!') WHERE id = {i}" for i in changed[:5]],
        *[f"DELETE FROM random_rows WHERE id = {i}" for i in changed[5:]],
        "INSERT INTO random_rows (id, vc) VALUES (601, 'new')",
    )
    res = lake.load_one({**spec, "reconcile": {"mode": "repair", "skipLoad": True, "repairAlertRows": 0}})
    assert res.reconcile is not None, res.error
    assert (res.reconcile["rowsDeleted"], res.reconcile["rowsUpdated"], res.reconcile["rowsInserted"]) == (4, 5, 1)
    assert verify(lake, spec)["equal"] is True

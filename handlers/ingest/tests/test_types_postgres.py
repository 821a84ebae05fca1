"""PostgreSQL types through the real driver and local Spark: exactly what the lake holds for each
(lake_ingest/dialects/postgres.py documents the mapping). The table and one column have
mixed-case names, in the mixed-case schema of the scratch database."""

from __future__ import annotations

import datetime as dt
import decimal
import math

from tests.helpers import Lake

ENGINES = ("postgresql",)

COLUMNS = """
  id INT NOT NULL PRIMARY KEY,
  n_free NUMERIC, n_wide NUMERIC(50,10), n_dec NUMERIC(12,3),
  ts TIMESTAMP(6), tstz TIMESTAMPTZ(6), d DATE, t TIME(6), ttz TIMETZ, iv INTERVAL,
  u UUID, js JSON, jb JSONB, mood "Mood", ints INT[], texts TEXT[], b BYTEA, m MONEY,
  flag BOOLEAN, r REAL, dp DOUBLE PRECISION, ch CHAR(5), "MixedCase" TEXT, ip INET, small SMALLINT,
  big BIGINT
"""

ROW = """(1, 12345678901234567890.123456789012345678901, 1.5, 1.5,
  '2024-03-31 02:30:00.123456', '2024-06-01 12:00:00+02', '2024-02-29', '13:45:00.5', '13:45:00+02',
  '1 year 2 mons 3 days 04:05:06', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"b": 1, "a": [1, 2]}',
  '{"b": 1, "a": [1, 2], "a": 3}', 'happy', '{1,2,NULL}', '{"a b","c\\"d"}', '\\xdeadbeef', 1234.56,
  true, 1.5, 'Infinity', 'ab', 'Äpfel 🍎', '192.168.0.1/24', -32768, 9223372036854775807)"""

EXPECTED_TYPES = {
    "id": "int",
    "n_free": "string",
    "n_wide": "string",
    "n_dec": "decimal(12,3)",
    "ts": "timestamp",
    "tstz": "timestamp",
    "d": "date",
    "t": "string",
    "ttz": "string",
    "iv": "string",
    "u": "string",
    "js": "string",
    "jb": "string",
    "mood": "string",
    "ints": "string",
    "texts": "string",
    "b": "binary",
    "m": "string",
    "flag": "boolean",
    "r": "float",
    "dp": "double",
    "ch": "string",
    "mixedcase": "string",
    "ip": "string",
    "small": "int",  # Spark reads smallint as int (lossless)
    "big": "bigint",
}


def test_postgres_types_land_exactly(lake: Lake) -> None:
    lake.sql(
        """CREATE TYPE "Mood" AS ENUM ('sad', 'happy')""",
        f'CREATE TABLE "TypeZoo" ({COLUMNS})',
        f'INSERT INTO "TypeZoo" VALUES {ROW}',
        """INSERT INTO "TypeZoo" (id, n_free) VALUES (2, 'NaN')""",
        """INSERT INTO "TypeZoo" (id) VALUES (3)""",
    )
    spec = lake.spec(name="type_zoo", source="TypeZoo", domain="sales", strategy="snapshot", primaryKey=["id"])
    result = lake.load_one(spec)
    assert result.status == "LOADED", result.error
    df = lake.spark.read.table(lake.ident(spec))
    types = {f.name: f.dataType.simpleString() for f in df.schema.fields if not f.name.startswith("_")}
    assert types == EXPECTED_TYPES
    rows = {r["id"]: r.asDict() for r in df.collect()}
    one = rows[1]
    expected = {
        "n_free": "12345678901234567890.123456789012345678901",  # exact text, no 38-digit cut
        "n_wide": "1.5000000000",
        "n_dec": decimal.Decimal("1.500"),
        "ts": dt.datetime(2024, 3, 31, 2, 30, 0, 123456),  # the wall time as written
        "tstz": dt.datetime(2024, 6, 1, 10, 0),  # the UTC instant
        "d": dt.date(2024, 2, 29),
        "t": "13:45:00.5",
        "ttz": "13:45:00+02",
        "iv": "P1Y2M3DT4H5M6S",
        "u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "js": '{"b": 1, "a": [1, 2]}',  # json: the text as written
        "jb": '{"a": 3, "b": 1}',  # jsonb: normalized, the last duplicate key wins
        "mood": "happy",
        "ints": "[1,2,null]",
        "texts": '["a b","c\\"d"]',
        "b": bytearray(b"\xde\xad\xbe\xef"),
        "m": "1234.56",
        "flag": True,
        "r": 1.5,
        "ch": "ab   ",  # char(n) keeps its blank padding
        "mixedcase": "Äpfel 🍎",
        "ip": "192.168.0.1/24",
        "small": -32768,
        "big": 9223372036854775807,
    }
    for name, value in expected.items():
        assert one[name] == value, (name, one[name], value)
    assert math.isinf(one["dp"]) and one["dp"] > 0
    assert rows[2]["n_free"] == "NaN"
    assert all(v is None for k, v in rows[3].items() if k not in ("id", "_ingested_at", "_run_id"))

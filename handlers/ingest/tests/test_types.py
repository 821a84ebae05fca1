"""Type traps through the real driver: zero dates, TINYINT(1), BIGINT UNSIGNED, DECIMAL
precision (also beyond Spark's 38 digits), DATETIME vs TIMESTAMP time zones, JSON/TEXT, TIME,
NULLs, and mixed-case / reserved-word names."""

from __future__ import annotations

import datetime as dt
import decimal

from tests.helpers import Lake

DDL = """
CREATE TABLE `Type_Traps` (
  `Id` BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  `Flag` TINYINT(1) NULL,
  `SmallU` TINYINT UNSIGNED NULL,
  `D` DATE NULL,
  `Dt` DATETIME(3) NULL,
  `Ts` TIMESTAMP NULL DEFAULT NULL,
  `J` JSON NULL,
  `Amount` DECIMAL(18,4) NULL,
  `Huge` DECIMAL(50,10) NULL,
  `T` TIME NULL,
  `Txt` TEXT NULL,
  `E` ENUM('a','b') NULL,
  `Dbl` DOUBLE NULL,
  `updated_at` DATETIME(6) NOT NULL
)
"""


def test_type_traps_round_trip(lake: Lake) -> None:
    lake.sql(
        DDL,
        "SET SESSION sql_mode = ''",  # allows zero dates like many legacy sources
        "SET time_zone = '+02:00'",  # TIMESTAMP values are written in a non-UTC session
        "INSERT INTO `Type_Traps` VALUES "
        "(18446744073709551615, 2, 255, '0000-00-00', '0000-00-00 00:00:00', '2024-03-31 04:30:00', '{\"a\": [1, 2]}',"
        " 12345678901234.5678, 1234567890123456789012345678901234567890.0123456789, '-12:30:00', 'héllo ✓', 'b', 2.5,"
        " '2024-01-01 00:00:00'),"
        "(1, 0, 0, '2024-02-29', '2024-02-29 23:59:59.999', '2024-02-29 12:00:00', NULL, -0.0001, NULL, '838:59:59',"
        " '', 'a', NULL, '2024-01-01 00:00:00'),"
        "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-01-01 00:00:00')",
        "SET time_zone = '+00:00'",
    )
    spec = lake.spec(
        name="type_traps", source="Type_Traps", strategy="incremental", cursor="updated_at", primaryKey=["Id"]
    )
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert res.rowsRead == 3
    assert lake.assert_full_copy_equals_source(spec) == 3

    schema = {f.name: f.dataType.simpleString() for f in lake.spark.read.table(lake.ident(spec)).schema.fields}
    assert schema["id"] == "decimal(20,0)"
    assert schema["flag"] == "int"  # tinyint(1) stays a number (Iceberg stores tinyint as int)
    assert schema["amount"] == "decimal(18,4)"
    assert schema["huge"] == "string"
    assert schema["t"] == "string"
    assert schema["ts"] == "timestamp"

    rows = {r["id"]: r for r in lake.spark.sql(f"SELECT * FROM {lake.ident(spec)}").collect()}
    big = rows[decimal.Decimal("18446744073709551615")]
    assert big["flag"] == 2
    assert big["d"] is None and big["dt"] is None  # zero dates -> NULL
    # 04:30 at +02:00 is 02:30 UTC: TIMESTAMP arrives in UTC, whatever the writer's zone was.
    assert big["ts"] == dt.datetime(2024, 3, 31, 2, 30)
    assert big["huge"] == "1234567890123456789012345678901234567890.0123456789"
    small = rows[decimal.Decimal(1)]
    assert small["dt"] == dt.datetime(2024, 2, 29, 23, 59, 59, 999000)  # DATETIME: wall clock, as stored
    assert small["t"] == "838:59:59"


def test_jdbc_session_is_utc(lake: Lake) -> None:
    import os

    from lake_ingest.source import Jdbc, SourceConfig, with_driver_params

    config = SourceConfig(
        with_driver_params("jdbc:mysql://127.0.0.1:3306/"),
        os.environ["LAKE_SOURCE_USER"],
        os.environ["LAKE_SOURCE_PASSWORD"],
    )
    jdbc = Jdbc(lake.spark, config, 1000)
    try:
        assert jdbc.scalar("SELECT @@session.time_zone") in ("+00:00", "UTC")
        df = jdbc.read(
            "SELECT @@session.time_zone AS tz, UNIX_TIMESTAMP(NOW()) - UNIX_TIMESTAMP(UTC_TIMESTAMP()) AS off"
        )
        row = df.collect()[0]
        assert row["tz"] in ("+00:00", "UTC") and int(row["off"]) == 0
    finally:
        jdbc.close()
    assert "password" not in repr(config).replace("password=***", "")

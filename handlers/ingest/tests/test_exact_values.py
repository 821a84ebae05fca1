"""Values that must land exactly through the real driver, Spark's Parquet writer (raw zone) and
Iceberg (full copy).

Dates before the Gregorian reform and sentinel dates (issue 10, defect 9). Two traps: Spark 3.5
refuses to write such dates to Parquet by default (rebase mode EXCEPTION), and a date the hybrid
Julian calendar of java.sql.Date does not have (1582-10-05..14) moves by ten days when it passes
through the driver's java.sql.Date.

CHAR(n) values shorter than n: Spark 3.5 pads them on the JDBC read ('KG' -> 'KG ')."""

from __future__ import annotations

from tests.helpers import Lake

VALUES = [
    # (id, DATE, DATETIME(6))
    (1, "0001-01-01", "0001-01-01 00:00:00.000000"),
    (2, "1000-01-01", "1000-01-01 12:34:56.789000"),
    (3, "1582-10-04", "1582-10-04 23:59:59.999999"),
    (4, "1582-10-10", "1582-10-10 01:02:03.000000"),  # in the Julian-Gregorian gap
    (5, "1582-10-15", "1582-10-15 00:00:00.000000"),
    (6, "1899-12-31", "1899-12-31 23:59:59.000000"),
    (7, "9999-12-31", "9999-12-31 23:59:59.999999"),
    (8, None, None),
]


def test_old_and_sentinel_dates_land_exactly(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE contract_term (term_id INT NOT NULL PRIMARY KEY, valid_from DATE NULL,"
        " valid_until DATETIME(6) NULL, updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO contract_term VALUES "
        + ", ".join(
            f"({i}, {repr(d) if d else 'NULL'}, {repr(t) if t else 'NULL'}, UTC_TIMESTAMP(6) - INTERVAL 1 HOUR)"
            for i, d, t in VALUES
        ),
    )
    source = lake.sql(
        "SELECT term_id, CAST(valid_from AS CHAR), DATE_FORMAT(valid_until, '%Y-%m-%d %H:%i:%s.%f')"
        " FROM contract_term ORDER BY term_id"
    )
    assert [tuple(r) for r in source] == VALUES  # what the source holds
    spec = lake.spec(name="contract_term", strategy="incremental", cursor="updated_at", primaryKey=["term_id"])
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    full = lake.spark.sql(
        "SELECT term_id, CAST(valid_from AS STRING), date_format(valid_until, 'yyyy-MM-dd HH:mm:ss.SSSSSS')"
        f" FROM {lake.ident(spec)} ORDER BY term_id"
    ).collect()
    assert [tuple(r) for r in full] == VALUES
    types = {f.name: f.dataType.simpleString() for f in lake.spark.read.table(lake.ident(spec)).schema.fields}
    assert types["valid_from"] == "date" and types["valid_until"] == "timestamp"
    run_id = lake.state("contract_term")["lastRunId"]
    batch = next(b for b in lake.raw_batches(spec) if b.endswith(f"run={run_id}"))
    raw = (
        lake.spark.read.parquet(spec["rawPath"] + batch)
        .selectExpr("term_id", "CAST(valid_from AS STRING)", "date_format(valid_until, 'yyyy-MM-dd HH:mm:ss.SSSSSS')")
        .orderBy("term_id")
        .collect()
    )
    assert [tuple(r) for r in raw] == VALUES
    # a second run (lookback re-reads and merges every row) keeps them exact too
    lake.sql("UPDATE contract_term SET updated_at = UTC_TIMESTAMP(6)")
    again = lake.load_one(spec)
    assert again.status == "LOADED" and again.rowsRead == len(VALUES), again
    full = lake.spark.sql(
        "SELECT term_id, CAST(valid_from AS STRING), date_format(valid_until, 'yyyy-MM-dd HH:mm:ss.SSSSSS')"
        f" FROM {lake.ident(spec)} ORDER BY term_id"
    ).collect()
    assert [tuple(r) for r in full] == VALUES


def test_the_job_sets_the_parquet_rebase_modes_itself(lake: Lake) -> None:
    """One owner: the job sets them at run start, whatever the session had (Glue's defaults are
    Spark's: EXCEPTION)."""
    keys = [
        "spark.sql.parquet.datetimeRebaseModeInWrite",
        "spark.sql.parquet.int96RebaseModeInWrite",
        "spark.sql.parquet.datetimeRebaseModeInRead",
        "spark.sql.parquet.int96RebaseModeInRead",
    ]
    for key in keys:
        lake.spark.conf.set(key, "EXCEPTION")
    lake.spark.conf.set("spark.sql.readSideCharPadding", "true")  # Spark's default
    lake.sql(
        "CREATE TABLE holiday (day DATE NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL)",
        "INSERT INTO holiday VALUES ('1000-01-01', 'sentinel'), ('2024-12-25', 'xmas')",
    )
    spec = lake.spec(name="holiday", strategy="snapshot", primaryKey=["day"])
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert {k: lake.spark.conf.get(k) for k in keys} == dict.fromkeys(keys, "CORRECTED")
    assert lake.assert_full_copy_equals_source(spec) == 2


def test_char_values_are_not_padded(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE country (code CHAR(3) NOT NULL PRIMARY KEY, name CHAR(20) NULL)",
        "INSERT INTO country VALUES ('DE', 'Germany'), ('AUT', NULL), ('X', '')",
    )
    spec = lake.spec(name="country", strategy="snapshot", primaryKey=["code"])
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert sorted(lake.lake_rows(spec, ["code", "name"]), key=lambda r: r[0]) == [
        ("AUT", None),
        ("DE", "Germany"),
        ("X", ""),
    ]
    assert lake.assert_full_copy_equals_source(spec) == 3

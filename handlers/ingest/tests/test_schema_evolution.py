"""Schema evolution end to end: a new column (both zones), a dropped column (kept, NULL for new
rows), a widened type, and an incompatible change that fails that table only. On both engines."""

from __future__ import annotations

import pytest
from pyspark.sql import types as T

from lake_ingest.errors import IncompatibleSchemaChange
from lake_ingest.schema_evolution import plan_evolution
from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")


@pytest.fixture(scope="module")
def product(lake: Lake) -> dict:
    lake.sql(f"""CREATE TABLE product (
      product_id INT NOT NULL PRIMARY KEY, sku VARCHAR(20) NOT NULL, weight_g INT NULL,
      legacy_code VARCHAR(10) NULL, updated_at {lake.type("datetime")} NOT NULL)""")
    lake.sql(f"INSERT INTO product VALUES (1,'A',100,'L1',{lake.now(-60)}), (2,'B',200,'L2',{lake.now(-60)})")
    spec = lake.spec(
        name="product", domain="logistics", strategy="incremental", cursor="updated_at", primaryKey=["product_id"]
    )
    assert lake.load_one(spec).status == "LOADED"
    return spec


def lake_types(lake: Lake, spec: dict) -> dict[str, str]:
    return {f.name: f.dataType.simpleString() for f in lake.spark.read.table(lake.ident(spec)).schema.fields}


def test_added_column_reaches_both_zones(lake: Lake, product: dict) -> None:
    lake.sql(
        "ALTER TABLE product ADD COLUMN color VARCHAR(20) NULL",
        f"UPDATE product SET color = 'red', updated_at = {lake.now()} WHERE product_id = 1",
        f"INSERT INTO product VALUES (3,'C',300,NULL,{lake.now()},'blue')",
    )
    res = lake.load_one(product)
    assert res.status == "LOADED", res.error
    assert res.schemaChanged
    assert lake_types(lake, product)["color"] == "string"
    lake.assert_full_copy_equals_source(product)
    run_id = lake.state("product")["lastRunId"]
    newest = next(b for b in lake.raw_batches(product) if b.endswith(f"run={run_id}"))
    assert "color" in lake.spark.read.parquet(product["rawPath"] + newest).columns


def test_dropped_column_stays_with_nulls(lake: Lake, product: dict) -> None:
    lake.sql(
        "ALTER TABLE product DROP COLUMN legacy_code",
        f"UPDATE product SET sku = 'B2', updated_at = {lake.now()} WHERE product_id = 2",
        f"INSERT INTO product (product_id, sku, weight_g, updated_at) VALUES (4, 'D', 1, {lake.now()})",
    )
    res = lake.load_one(product)
    assert res.status == "LOADED", res.error
    assert "legacy_code" in lake_types(lake, product)
    lake.assert_full_copy_equals_source(product)  # every remaining source column, row by row
    legacy = dict(lake.spark.sql(f"SELECT product_id, legacy_code FROM {lake.ident(product)}").collect())
    assert legacy[1] == "L1" and legacy[2] == "L2"  # rows loaded before keep the last value
    assert legacy[4] is None  # a row inserted after the drop has NULL


def test_widened_type_is_widened(lake: Lake, product: dict) -> None:
    assert lake_types(lake, product)["weight_g"] == "int"
    lake.sql(
        lake.alter_type("product", "weight_g", "BIGINT"),
        f"UPDATE product SET weight_g = 5000000000, updated_at = {lake.now()} WHERE product_id = 3",
    )
    res = lake.load_one(product)
    assert res.status == "LOADED", res.error
    assert res.schemaChanged
    assert lake_types(lake, product)["weight_g"] == "bigint"
    lake.assert_full_copy_equals_source(product)


def test_incompatible_change_fails_only_that_table(lake: Lake, product: dict) -> None:
    lake.sql(
        "CREATE TABLE carrier (carrier_code VARCHAR(10) NOT NULL PRIMARY KEY, name VARCHAR(50))",
        "INSERT INTO carrier VALUES ('DHL','DHL'), ('UPS','UPS')",
    )
    carrier = lake.spec(name="carrier", domain="logistics", strategy="snapshot", primaryKey=["carrier_code"])
    # a date column that becomes text: the full copy cannot take it (not a widening)
    lake.sql("ALTER TABLE product ADD COLUMN released DATE NULL", "UPDATE product SET released = '2024-01-01'")
    assert lake.load_one(product).status == "LOADED"  # released added as date
    lake.sql(
        lake.alter_type("product", "released", "VARCHAR(20)"),
        f"UPDATE product SET released = 'soon', updated_at = {lake.now()}",
    )
    before = lake.state("product")
    result = lake.load(product, carrier)
    by_name = {t.name: t for t in result.tables}
    assert result.status == "FAILED"
    assert by_name["product"].status == "FAILED"
    assert "released" in (by_name["product"].error or "") and "date" in (by_name["product"].error or "")
    assert by_name["carrier"].status == "LOADED"
    lake.assert_full_copy_equals_source(carrier)
    after = lake.state("product")
    assert after["lastStatus"] == "FAILED" and after["watermark"] == before["watermark"]
    assert "leaseRunId" not in after and "released" in after["lastError"]


def test_evolution_rules() -> None:
    s = T.StructType
    f = T.StructField
    evo = plan_evolution(
        s(
            [
                f("a", T.LongType()),
                f("b", T.ShortType()),
                f("c", T.DecimalType(20, 2)),
                f("d", T.DoubleType()),
                f("n", T.StringType()),
            ]
        ),
        s(
            [
                f("a", T.IntegerType()),
                f("b", T.IntegerType()),
                f("c", T.DecimalType(10, 2)),
                f("d", T.FloatType()),
                f("gone", T.StringType()),
            ]
        ),
    )
    assert [x.name for x in evo.add] == ["n"]
    assert dict(evo.widen) == {"a": T.LongType(), "c": T.DecimalType(20, 2), "d": T.DoubleType()}
    assert not plan_evolution(s([f("x", T.IntegerType())]), s([f("x", T.StringType())])).changed
    for src, dst in [
        (T.StringType(), T.IntegerType()),
        (T.DecimalType(10, 3), T.DecimalType(10, 2)),
        (T.TimestampType(), T.DateType()),
        (T.DecimalType(20, 0), T.LongType()),
    ]:
        with pytest.raises(IncompatibleSchemaChange):
            plan_evolution(s([f("x", src)]), s([f("x", dst)]))

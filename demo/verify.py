"""Proof that the lake equals its source: row-by-row hash compare, run under local Spark.

    spark-submit --properties-file <pipeline props> demo/verify.py <request.json> <result.json>

request: {"jdbcUrl", "engine", "schema", "targets": [{"name", "sourceName", "primaryKey", "iceberg" | "rawPath"}]}
(engine: the manifest's source.engine, mariadb or postgresql; schema: where the tables are, the
database on MariaDB, a schema such as public on PostgreSQL)
For each target, both sides are read with the ingest job's own source reader (same select list
and types) and every row becomes sha256 of its values (columns in source order, as text, NULL
marked). The multisets of hashes are compared: `missing` rows are in the source and not in the
lake, `extra` rows in the lake and not in the source (a lake row that equals a source row but
appears more often than there counts as extra too). `keyDuplicates`: lake rows whose primary
key appears more than once. `keysNotInSource`: lake rows whose primary key the source no longer
has (rows deleted at the source still in the lake). `iceberg` targets are the governed full copies; `rawPath` targets
are the baseline's appended Parquet folders (the blueprint's target table).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "handlers", "ingest"))

from lake_ingest import dates, session  # noqa: E402
from lake_ingest.errors import SourceTableMissing  # noqa: E402
from lake_ingest.source import Jdbc, SourceConfig, quote_ident, with_driver_params  # noqa: E402

LINEAGE = {"_ingested_at", "_run_id", "ingest_date", "run"}


def spark_col(name: str) -> Any:
    """A DataFrame column by its exact name (Spark's backtick quoting, whatever the source engine)."""
    from pyspark.sql import functions as F

    return F.col("`" + name.replace("`", "``") + "`")


def row_hash(df: Any, columns: list[str]) -> Any:
    from pyspark.sql import functions as F

    parts = [F.coalesce(spark_col(c).cast("string"), F.lit("\u0000NULL")) for c in columns]
    return df.select(F.sha2(F.concat_ws("\u0001", *parts), 256).alias("h"), *[spark_col(c) for c in columns])


def compare(spark: Any, jdbc: Jdbc, schema: str, target: dict[str, Any]) -> dict[str, Any]:
    from pyspark.sql import functions as F

    out: dict[str, Any] = {"name": target["name"], "sourceName": target["sourceName"]}
    try:
        columns = jdbc.columns(schema, target["sourceName"])
    except SourceTableMissing as exc:
        out.update(status="SOURCE_MISSING", detail=str(exc))
        return out
    # The job's select list and typing (MariaDB DATE/DATETIME read as text, cast back), as the load reads.
    engine = jdbc.config.engine
    select = "SELECT " + ", ".join(dates.select_expr(c) for c in columns)
    select += f" FROM {quote_ident(schema, engine)}.{quote_ident(target['sourceName'], engine)}"
    source = dates.typed(jdbc.read(select), columns)
    if target.get("iceberg"):
        try:
            lake = spark.read.table(target["iceberg"])
        except Exception as exc:  # noqa: BLE001 -- a missing lake table is a failed check, not a crash
            out.update(status="LAKE_MISSING", detail=str(exc).splitlines()[0][:300])
            return out
    else:
        path = target["rawPath"]
        local = path[len("file://") :] if path.startswith("file://") else path
        if not os.path.isdir(local):
            out.update(status="LAKE_MISSING", detail=f"no raw folder {path}")
            return out
        lake = spark.read.option("mergeSchema", "true").option("basePath", path).parquet(path + "*/*/")
    names = [c.lake_name for c in columns]
    present = {c.lower(): c for c in lake.columns if c.lower() not in LINEAGE}
    absent = [n for n in names if n not in present]
    if absent:
        out.update(status="COLUMNS_MISSING", detail=f"lake lacks source columns {absent}")
        return out
    lake = lake.select(*[spark_col(present[n]).cast(source.schema[n].dataType).alias(n) for n in names])
    src_h = row_hash(source, names).groupBy("h").agg(F.count(F.lit(1)).alias("n_src"))
    lake_h = row_hash(lake, names).groupBy("h").agg(F.count(F.lit(1)).alias("n_lake"))
    joined = src_h.join(lake_h, "h", "full_outer").fillna(0, ["n_src", "n_lake"])
    diff = joined.agg(
        F.sum("n_src").alias("src"),
        F.sum("n_lake").alias("lake"),
        F.sum(F.greatest(F.col("n_src") - F.col("n_lake"), F.lit(0))).alias("missing"),
        F.sum(F.greatest(F.col("n_lake") - F.col("n_src"), F.lit(0))).alias("extra"),
    ).collect()[0]
    keys = [k.lower() for k in target.get("primaryKey", [])]
    key_dupes = 0
    keys_not_in_source = 0
    if keys:
        lake_keys = lake.select(*[spark_col(k) for k in keys])
        source_keys = source.select(*[spark_col(k) for k in keys])
        keys_not_in_source = lake_keys.join(source_keys, keys, "left_anti").count()
        key_dupes = (
            lake.groupBy(*[spark_col(k) for k in keys])
            .count()
            .where("count > 1")
            .agg(F.sum(F.col("count") - 1))
            .collect()[0][0]
            or 0
        )
    src_rows, lake_rows = int(diff["src"] or 0), int(diff["lake"] or 0)
    missing, extra = int(diff["missing"] or 0), int(diff["extra"] or 0)
    out.update(
        status="EQUAL" if missing == 0 and extra == 0 and key_dupes == 0 else "DIFFERENT",
        sourceRows=src_rows,
        lakeRows=lake_rows,
        missing=missing,
        extra=extra,
        keyDuplicates=int(key_dupes),
        keysNotInSource=int(keys_not_in_source),
        extraLakeColumns=sorted(set(present) - set(names)),
    )
    return out


def main(argv: list[str]) -> int:
    request = json.loads(open(argv[1], encoding="utf-8").read())
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # The job's own session settings (no read-side CHAR padding, etc.): the source must read as the job reads it.
    session.apply(spark)
    engine = request["engine"]
    config = SourceConfig(
        with_driver_params(request["jdbcUrl"], engine),
        os.environ.get("LAKE_SOURCE_USER", "lake_ingest"),
        os.environ.get("LAKE_SOURCE_PASSWORD", "lake_ingest_local"),
        engine,
    )
    jdbc = Jdbc(spark, config, 10_000)
    results = []
    for target in request["targets"]:
        result = compare(spark, jdbc, request["schema"], target)
        results.append(result)
        print("VERIFY " + json.dumps(result), flush=True)
    jdbc.close()
    with open(argv[2], "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

/** The job's Glue --conf comes from handlers/contracts/iceberg-catalog.json, the file local Spark reads too. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ICEBERG_CATALOG_FILE, icebergSparkConf, loadIcebergCatalogSettings } from "../../components/ingestTier";

describe("iceberg-catalog.json", () => {
  it("is the source of every catalog and session setting of the Glue job, AWS-only catalog included, local-only excluded", () => {
    const settings = loadIcebergCatalogSettings();
    const conf = icebergSparkConf("glue_catalog", "s3://wh/warehouse/").split(" --conf ");
    const expected = [
      ...Object.entries(settings.session).map(([k, v]) => `${k}=${v}`),
      `spark.sql.catalog.glue_catalog=${settings.sparkCatalogClass}`,
      "spark.sql.catalog.glue_catalog.warehouse=s3://wh/warehouse/",
      ...Object.entries({ ...settings.catalog, ...settings.awsOnlyCatalog }).map(([k, v]) => `spark.sql.catalog.glue_catalog.${k}=${v}`),
    ];
    assert.deepEqual(conf, expected);
    for (const key of Object.keys(settings.localOnlyCatalog))
      assert.ok(!conf.some((c) => c.startsWith(`spark.sql.catalog.glue_catalog.${key}=`)));
    assert.doesNotMatch(readFileSync(ICEBERG_CATALOG_FILE, "utf8").replace(/"\$comment": ".*",/, ""), /lakeformation/i);
  });

  it("rejects a value Glue's --conf cannot carry, naming the file and field", () => {
    const file = join(mkdtempSync(join(tmpdir(), "iceberg-catalog-")), "iceberg-catalog.json");
    const settings = JSON.parse(readFileSync(ICEBERG_CATALOG_FILE, "utf8")) as Record<string, Record<string, string>>;
    writeFileSync(file, JSON.stringify({ ...settings, session: { ...settings.session, "spark.x": "a b" } }));
    assert.throws(() => loadIcebergCatalogSettings(file), /iceberg-catalog\.json: field session\.spark\.x must be a string without spaces/);
  });
});

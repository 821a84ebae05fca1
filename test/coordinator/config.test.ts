/** The environment contract (handlers/coordinator/config.ts). */
import assert from "node:assert/strict";
import { ConfigError, configModelProblems, ENV_VARS, loadConfig } from "../../handlers/coordinator/config";

const env: Record<string, string> = {
  LAKE_NAME: "lake",
  ENVIRONMENT: "prod",
  STATE_TABLE: "lake-state",
  MANIFEST_BUCKET: "lake-scripts",
  RAW_BUCKET: "lake-raw",
  WAREHOUSE_BUCKET: "lake-warehouse",
  DATABASE_PREFIX: "lake",
  TIER_JOBS: '{"daily":"lake-daily","every_15_min":"lake-15"}',
  CRAWLERS: '{"sales":"lake-raw-sales"}',
  ALERT_TOPIC_ARN: "arn:aws:sns:eu-central-1:123456789012:lake-alerts",
  SOURCE_ENGINE: "mariadb",
  SOURCE_DATABASE: "erp",
  SOURCE_CONNECTION: "lake-source",
  LEASE_SECONDS: "10800",
  BUSINESS_TIME_ZONE: "Europe/Berlin",
};

describe("coordinator config", () => {
  it("parses the contract, with defaults for TABLES_FILE (next to the bundle) and ICEBERG_CATALOG", () => {
    const config = loadConfig(env, "/var/task");
    assert.equal(config.tablesFile, "/var/task/tables.yaml");
    assert.equal(config.icebergCatalog, "glue_catalog");
    assert.deepEqual(config.tierJobs, { daily: "lake-daily", every_15_min: "lake-15" });
    assert.equal(config.leaseSeconds, 10800);
    assert.equal(config.source.schema, undefined);
    assert.equal(config.awsEndpointUrl, undefined);
    assert.equal(loadConfig({ ...env, TABLES_FILE: "conf/t.yaml" }, "/var/task").tablesFile, "/var/task/conf/t.yaml");
  });
  it("lists every problem at once", () => {
    const bad = {
      ...env,
      STATE_TABLE: "",
      TIER_JOBS: "{daily",
      CRAWLERS: '{"Sales":"x"}',
      LEASE_SECONDS: "30",
      SOURCE_ENGINE: "db2",
      BUSINESS_TIME_ZONE: "Mars/Olympus",
      ALERT_TOPIC_ARN: "topic",
    };
    try {
      loadConfig(bad, "/var/task");
      assert.fail("expected a ConfigError");
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join("\n");
      for (const expected of [
        "STATE_TABLE is not set",
        "TIER_JOBS is not JSON",
        'CRAWLERS: key "Sales"',
        "LEASE_SECONDS",
        "SOURCE_ENGINE",
        "BUSINESS_TIME_ZONE",
        "ALERT_TOPIC_ARN",
      ]) {
        assert.ok(text.includes(expected), `${expected} in:\n${text}`);
      }
    }
  });
  it("builds manifests under the buckets, or under both local lake roots when set", () => {
    assert.deepEqual(loadConfig(env, "/").lakeRoots, { raw: "s3://lake-raw/", warehouse: "s3://lake-warehouse/warehouse/" });
    const local = { ...env, LAKE_RAW_ROOT: "file:///tmp/lake/", LAKE_WAREHOUSE_ROOT: "file:///tmp/lake/warehouse/" };
    assert.deepEqual(loadConfig(local, "/").lakeRoots, { raw: "file:///tmp/lake/", warehouse: "file:///tmp/lake/warehouse/" });
    assert.throws(() => loadConfig({ ...env, LAKE_RAW_ROOT: "file:///tmp/lake/" }, "/"), /set together or not at all/);
    assert.throws(
      () => loadConfig({ ...local, LAKE_WAREHOUSE_ROOT: "/tmp/w" }, "/"),
      /LAKE_WAREHOUSE_ROOT="\/tmp\/w" is not an s3:\/\/ or file:\/\/ URI/,
    );
  });
  it("requires a schema for Oracle", () => {
    assert.throws(() => loadConfig({ ...env, SOURCE_ENGINE: "oracle" }, "/"), /SOURCE_SCHEMA is required/);
  });
  it("reports tiers without a job and domains without a crawler", () => {
    const config = loadConfig(env, "/");
    assert.deepEqual(configModelProblems(config, ["daily", "hourly"], ["sales", "hr"]), [
      'TIER_JOBS has no job for tier "hourly"',
      'CRAWLERS has no crawler for domain "hr"',
    ]);
  });
  it("reads every variable of the contract: each required one, unset, is named in the error", () => {
    const optional = new Set(["SOURCE_SCHEMA", "TABLES_FILE", "ICEBERG_CATALOG", "AWS_ENDPOINT_URL"]);
    for (const name of ENV_VARS.filter((n) => !optional.has(n))) {
      const without = { ...env };
      delete without[name];
      assert.throws(
        () => loadConfig(without, "/"),
        (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith(`${name} is not set`)),
        name,
      );
    }
  });
});

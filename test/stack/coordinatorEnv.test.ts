/**
 * The coordinator's environment has one owner (handlers/contracts/coordinatorEnv.ts): what the
 * Coordinator component sets is exactly what handlers/coordinator/config.ts reads, and the
 * alarms select the dimensions the handler's metrics carry. The program runs under Pulumi mocks
 * (pulumi.runtime.setMocks, stacks/offline.ts); the handler's parser is the real one.
 */
import assert from "node:assert/strict";
import {
  COORDINATOR_ENV_VARS,
  LOCAL_ONLY_COORDINATOR_ENV,
  REQUIRED_COORDINATOR_ENV,
  renderCoordinatorEnv,
  type CoordinatorEnvValues,
} from "../../handlers/contracts/coordinatorEnv";
import { loadConfig, type CoordinatorConfig } from "../../handlers/coordinator/config";
import { METRIC_NAMESPACE, metricDimensions } from "../../handlers/coordinator/core/metrics";
import { runLakeProgram } from "../../stacks/program";
import { stackFileConfig } from "../fixtures/stackConfig";
import { ofType, runWithMocks, type RecordedResource } from "./harness";

type Env = Record<string, string>;

/** Parses `env` with the handler's parser and returns the variables it looked at. */
function parseRecordingReads(env: Env): { config: CoordinatorConfig; reads: Set<string> } {
  const reads = new Set<string>();
  const watched = new Proxy(env, {
    get(target, name) {
      if (typeof name === "string") reads.add(name);
      return target[name as string];
    },
  });
  return { config: loadConfig(watched, "/var/task"), reads };
}

const full: CoordinatorEnvValues = {
  lakeName: "acme-dev",
  environment: "dev",
  stateTable: "acme-dev-state",
  manifestBucket: "acme-dev-scripts",
  rawBucket: "acme-dev-raw",
  warehouseBucket: "acme-dev-warehouse",
  databasePrefix: "acme",
  tierJobs: { daily: "acme-dev-daily" },
  crawlers: { sales: "acme-dev-raw-sales" },
  alertTopicArn: "arn:aws:sns:eu-central-1:123456789012:acme-dev-alerts",
  sourceEngine: "postgresql",
  sourceDatabase: "erp",
  sourceSchema: "sales",
  sourceConnection: "acme-dev-source",
  sourceTimeZone: "Europe/Berlin",
  leaseSeconds: 9000,
  businessTimeZone: "Europe/Vienna",
  tablesFile: "conf/tables.yaml",
  icebergCatalog: "lake",
  piiTagKey: "acme_pii",
  awsEndpointUrl: "http://127.0.0.1:5000",
  lakeRawRoot: "file:///tmp/lake/",
  lakeWarehouseRoot: "file:///tmp/lake/warehouse/",
};

describe("coordinator environment contract", function () {
  this.timeout(120_000);
  let resources: RecordedResource[];
  let deployed: Env;

  before(async () => {
    resources = (await runWithMocks(stackFileConfig("dev"), () => runLakeProgram())).resources;
    const [fn] = ofType(resources, "aws:lambda/function:Function");
    deployed = (fn?.inputs.environment as { variables: Env }).variables;
  });

  it("renders every field so that the handler parses back the same values", () => {
    const env = renderCoordinatorEnv(full) as Env;
    assert.deepEqual(Object.keys(env).sort(), [...COORDINATOR_ENV_VARS].sort(), "a full value set renders every variable");
    const { config } = parseRecordingReads(env);
    assert.deepEqual(
      {
        lakeName: config.lakeName,
        environment: config.environment,
        stateTable: config.stateTable,
        manifestBucket: config.manifestBucket,
        rawBucket: config.rawBucket,
        warehouseBucket: config.warehouseBucket,
        databasePrefix: config.databasePrefix,
        tierJobs: config.tierJobs,
        crawlers: config.crawlers,
        alertTopicArn: config.alertTopicArn,
        sourceEngine: config.source.engine,
        sourceDatabase: config.source.database,
        sourceSchema: config.source.schema,
        sourceConnection: config.source.connectionName,
        sourceTimeZone: config.source.timeZone,
        leaseSeconds: config.leaseSeconds,
        businessTimeZone: config.businessTimeZone,
        tablesFile: config.tablesFile,
        icebergCatalog: config.icebergCatalog,
        piiTagKey: config.piiTagKey,
        awsEndpointUrl: config.awsEndpointUrl,
        lakeRawRoot: config.lakeRoots.raw,
        lakeWarehouseRoot: config.lakeRoots.warehouse,
      },
      { ...full, tablesFile: "/var/task/conf/tables.yaml" },
    );
  });

  it("the handler reads every variable of the contract and no other", () => {
    const { reads } = parseRecordingReads(renderCoordinatorEnv(full) as Env);
    assert.deepEqual([...reads].sort(), [...COORDINATOR_ENV_VARS].sort());
  });

  it("the component sets every variable the handler reads (local-only ones aside) and nothing else", () => {
    const { reads } = parseRecordingReads(deployed);
    const expected = [...reads].filter((name) => !LOCAL_ONLY_COORDINATOR_ENV.includes(name as never)).sort();
    assert.deepEqual(Object.keys(deployed).sort(), expected);
    for (const name of REQUIRED_COORDINATOR_ENV) assert.ok(deployed[name], `${name} is set`);
  });

  it("alarms select the dimensions the handler's metrics carry (LAKE_NAME, ENVIRONMENT)", () => {
    const { config } = parseRecordingReads({ ...deployed, TABLES_FILE: "tables.yaml" });
    const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === METRIC_NAMESPACE);
    assert.ok(alarms.length >= 3, "the coordinator's and the freshness alarms on its metrics");
    for (const alarm of alarms) {
      const dimensions = alarm.inputs.dimensions as Record<string, string>;
      const by = dimensions.Table !== undefined ? { Table: dimensions.Table } : { Tier: String(dimensions.Tier) };
      assert.deepEqual(dimensions, metricDimensions(config, by), alarm.name);
    }
  });
});

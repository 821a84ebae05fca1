/**
 * The coordinator Lambda's environment: one typed contract for the component that sets it
 * (components/coordinator.ts, through renderCoordinatorEnv) and the handler that reads it
 * (handlers/coordinator/config.ts, through COORDINATOR_ENV's names). A field added here must be
 * rendered and parsed, or test/coordinator/envContract.test.ts fails.
 *
 * No Pulumi import: the Lambda bundle includes this file. `V` is the type of a text value:
 * `string` in the handler and tests, `pulumi.Input<string>` in the component.
 */
import type { SourceEngine } from "../../model";

/** Field -> variable name. The only place a variable's name is written. */
export const COORDINATOR_ENV = {
  lakeName: "LAKE_NAME",
  environment: "ENVIRONMENT",
  stateTable: "STATE_TABLE",
  manifestBucket: "MANIFEST_BUCKET",
  rawBucket: "RAW_BUCKET",
  warehouseBucket: "WAREHOUSE_BUCKET",
  databasePrefix: "DATABASE_PREFIX",
  tierJobs: "TIER_JOBS",
  crawlers: "CRAWLERS",
  alertTopicArn: "ALERT_TOPIC_ARN",
  sourceEngine: "SOURCE_ENGINE",
  sourceDatabase: "SOURCE_DATABASE",
  sourceSchema: "SOURCE_SCHEMA",
  sourceConnection: "SOURCE_CONNECTION",
  sourceTimeZone: "SOURCE_TIME_ZONE",
  leaseSeconds: "LEASE_SECONDS",
  businessTimeZone: "BUSINESS_TIME_ZONE",
  tablesFile: "TABLES_FILE",
  icebergCatalog: "ICEBERG_CATALOG",
  piiTagKey: "PII_TAG_KEY",
  awsEndpointUrl: "AWS_ENDPOINT_URL",
  lakeRawRoot: "LAKE_RAW_ROOT",
  lakeWarehouseRoot: "LAKE_WAREHOUSE_ROOT",
} as const;

export type CoordinatorEnvField = keyof typeof COORDINATOR_ENV;
export type CoordinatorEnvVar = (typeof COORDINATOR_ENV)[CoordinatorEnvField];

/** Defaults of the optional variables (the handler applies them when a variable is unset). */
export const COORDINATOR_ENV_DEFAULTS = {
  tablesFile: "tables.yaml",
  icebergCatalog: "glue_catalog",
  sourceTimeZone: "UTC",
  piiTagKey: "pii",
} as const;

/** The values of the environment, typed; optional fields have a default or are local-only. */
export interface CoordinatorEnvValues<V = string> {
  /** Also the `Lake` dimension of the coordinator's metrics (core/metrics.ts). */
  readonly lakeName: V;
  /** Also the `Environment` dimension of the coordinator's metrics. */
  readonly environment: V;
  readonly stateTable: V;
  readonly manifestBucket: V;
  readonly rawBucket: V;
  readonly warehouseBucket: V;
  readonly databasePrefix: V;
  /** tier -> Glue job name (JSON in the variable). */
  readonly tierJobs: Readonly<Record<string, string>>;
  /** domain -> raw-zone crawler name (JSON in the variable). */
  readonly crawlers: Readonly<Record<string, string>>;
  readonly alertTopicArn: V;
  readonly sourceEngine: SourceEngine;
  readonly sourceDatabase: V;
  /** Required for Oracle; otherwise the engine's default schema. */
  readonly sourceSchema?: V;
  readonly sourceConnection: V;
  /** IANA zone of the wall times the application writes into DATETIME columns. */
  readonly sourceTimeZone?: V;
  readonly leaseSeconds: number;
  readonly businessTimeZone: V;
  /** tables.yaml, relative to the bundle directory. */
  readonly tablesFile?: V;
  readonly icebergCatalog?: V;
  /** The LF-tag key of PII classification, with the stack's tagKeyPrefix. */
  readonly piiTagKey?: V;
  /** Local runs only: the AWS endpoint (moto). */
  readonly awsEndpointUrl?: V;
  /** Local runs only: the raw zone's root in run manifests instead of s3://RAW_BUCKET/ (e.g. file:///…/). */
  readonly lakeRawRoot?: V;
  /** Local runs only: the warehouse root in run manifests instead of s3://WAREHOUSE_BUCKET/warehouse/. */
  readonly lakeWarehouseRoot?: V;
}

/** Variables the handler cannot run without. */
export const REQUIRED_COORDINATOR_ENV: readonly CoordinatorEnvVar[] = [
  "LAKE_NAME",
  "ENVIRONMENT",
  "STATE_TABLE",
  "MANIFEST_BUCKET",
  "RAW_BUCKET",
  "WAREHOUSE_BUCKET",
  "DATABASE_PREFIX",
  "TIER_JOBS",
  "CRAWLERS",
  "ALERT_TOPIC_ARN",
  "SOURCE_ENGINE",
  "SOURCE_DATABASE",
  "SOURCE_CONNECTION",
  "LEASE_SECONDS",
  "BUSINESS_TIME_ZONE",
];

/** Variables only a local run sets (moto's endpoint, local lake folders); a deployed Lambda has none. */
export const LOCAL_ONLY_COORDINATOR_ENV: readonly CoordinatorEnvVar[] = ["AWS_ENDPOINT_URL", "LAKE_RAW_ROOT", "LAKE_WAREHOUSE_ROOT"];

/** Every variable name of the contract. */
export const COORDINATOR_ENV_VARS: readonly CoordinatorEnvVar[] = Object.values(COORDINATOR_ENV);

/** The environment variables of `values`: maps as JSON, numbers in decimal, absent optionals left out. */
export function renderCoordinatorEnv<V>(values: CoordinatorEnvValues<V>): Partial<Record<CoordinatorEnvVar, V | string>> {
  const out: Partial<Record<CoordinatorEnvVar, V | string>> = {};
  for (const field of Object.keys(COORDINATOR_ENV) as CoordinatorEnvField[]) {
    const value = values[field];
    if (value === undefined) continue;
    const name = COORDINATOR_ENV[field];
    if (field === "tierJobs" || field === "crawlers") out[name] = JSON.stringify(value);
    else if (field === "leaseSeconds") out[name] = String(value);
    else out[name] = value as V | string;
  }
  return out;
}

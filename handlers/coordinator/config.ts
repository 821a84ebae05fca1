/**
 * The coordinator's environment contract: every variable the Coordinator component sets, parsed
 * and validated once. A bad value fails the invocation with one message naming every problem.
 */
import * as path from "node:path";
import { defaultLakeRoots, type LakeRoots } from "./core/manifest";
import { isSourceEngine, isValidTimeZone, LAKE_IDENTIFIER, type SourceEngine } from "../../model";
import {
  COORDINATOR_ENV as V,
  COORDINATOR_ENV_DEFAULTS,
  COORDINATOR_ENV_VARS,
  REQUIRED_COORDINATOR_ENV,
  type CoordinatorEnvVar,
} from "../contracts/coordinatorEnv";

export interface CoordinatorConfig {
  readonly lakeName: string;
  readonly environment: string;
  readonly stateTable: string;
  readonly manifestBucket: string;
  readonly rawBucket: string;
  readonly warehouseBucket: string;
  readonly databasePrefix: string;
  /** tier -> Glue job name. */
  readonly tierJobs: Readonly<Record<string, string>>;
  /** domain -> raw-zone crawler name. */
  readonly crawlers: Readonly<Record<string, string>>;
  readonly alertTopicArn: string;
  readonly source: {
    readonly engine: SourceEngine;
    readonly database: string;
    readonly schema: string | undefined;
    readonly connectionName: string;
    /** IANA zone of the wall times the application writes into DATETIME columns (SOURCE_TIME_ZONE, default UTC). */
    readonly timeZone: string;
  };
  readonly leaseSeconds: number;
  readonly businessTimeZone: string;
  /** Absolute path of tables.yaml. */
  readonly tablesFile: string;
  readonly icebergCatalog: string;
  readonly awsEndpointUrl: string | undefined;
  /** The LF-tag key of PII classification, with the stack's tagKeyPrefix (PII_TAG_KEY, default "pii"). */
  readonly piiTagKey: string;
  /** The lake roots run manifests address: s3:// of the buckets, or LAKE_RAW_ROOT / LAKE_WAREHOUSE_ROOT (local runs). */
  readonly lakeRoots: LakeRoots;
}

/** Required variables (named in the error when unset), for tests. */
export const ENV_VARS = REQUIRED_COORDINATOR_ENV;
/** Variables with a default or used only in local runs. */
export const OPTIONAL_ENV_VARS: readonly CoordinatorEnvVar[] = COORDINATOR_ENV_VARS.filter((n) => !REQUIRED_COORDINATOR_ENV.includes(n));
export type EnvVar = CoordinatorEnvVar;

/** The PII tag key when PII_TAG_KEY is not set (a stack without tagKeyPrefix). */
export const DEFAULT_PII_TAG_KEY = COORDINATOR_ENV_DEFAULTS.piiTagKey;

/** The source time zone when SOURCE_TIME_ZONE is not set. */
export const DEFAULT_SOURCE_TIME_ZONE = COORDINATOR_ENV_DEFAULTS.sourceTimeZone;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`coordinator configuration is invalid:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const NAME = /^[A-Za-z0-9_.-]{1,255}$/;
const MIN_LEASE_SECONDS = 60;

type Env = Readonly<Record<string, string | undefined>>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  optional(name: EnvVar): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  }

  required(name: EnvVar, pattern?: RegExp, what?: string): string {
    const value = this.optional(name);
    if (value === undefined) {
      this.problems.push(`${name} is not set`);
      return "";
    }
    if (pattern && !pattern.test(value)) this.problems.push(`${name}="${value}" is not ${what ?? `matching ${pattern}`}`);
    return value;
  }

  nameMap(name: EnvVar, keyWhat: string): Record<string, string> {
    const text = this.required(name);
    if (text === "") return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      this.problems.push(`${name} is not JSON (${(error as Error).message}); expected an object ${keyWhat} -> name`);
      return {};
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      this.problems.push(`${name} must be a JSON object ${keyWhat} -> name`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (!LAKE_IDENTIFIER.test(key)) this.problems.push(`${name}: key "${key}" is not a ${keyWhat} name`);
      else if (typeof value !== "string" || !NAME.test(value)) this.problems.push(`${name}: value of "${key}" is not a resource name`);
      else out[key] = value;
    }
    if (Object.keys(parsed).length === 0) this.problems.push(`${name} is an empty object`);
    return out;
  }
}

const ROOT = /^(s3|file):\/\/[^\s]+\/$/;

/** Both roots from the buckets, or both overridden (a local run): never one of each. */
function lakeRoots(r: Reader): LakeRoots {
  const raw = r.optional(V.lakeRawRoot);
  const warehouse = r.optional(V.lakeWarehouseRoot);
  if (raw === undefined && warehouse === undefined) {
    return defaultLakeRoots(r.optional(V.rawBucket) ?? "", r.optional(V.warehouseBucket) ?? "");
  }
  if (raw === undefined || warehouse === undefined) {
    r.problems.push(`${V.lakeRawRoot} and ${V.lakeWarehouseRoot} are set together or not at all`);
    return { raw: raw ?? "", warehouse: warehouse ?? "" };
  }
  for (const [name, value] of [
    [V.lakeRawRoot, raw],
    [V.lakeWarehouseRoot, warehouse],
  ] as const) {
    if (!ROOT.test(value)) r.problems.push(`${name}="${value}" is not an s3:// or file:// URI ending with /`);
  }
  return { raw, warehouse };
}

/**
 * Parses the environment. `bundleDir` is where a relative TABLES_FILE is resolved (and where
 * the default tables.yaml lives): the directory of the bundled handler.
 */
export function loadConfig(env: Env, bundleDir: string): CoordinatorConfig {
  const r = new Reader(env);
  const engine = r.required(V.sourceEngine);
  if (engine !== "" && !isSourceEngine(engine)) {
    r.problems.push(`SOURCE_ENGINE="${engine}" is not one of mariadb, mysql, postgresql, sqlserver, oracle`);
  }
  const schema = r.optional(V.sourceSchema);
  if (engine === "oracle" && schema === undefined) r.problems.push("SOURCE_SCHEMA is required for an Oracle source");
  const leaseText = r.required(V.leaseSeconds);
  const leaseSeconds = Number(leaseText);
  if (leaseText !== "" && !(Number.isInteger(leaseSeconds) && leaseSeconds >= MIN_LEASE_SECONDS)) {
    r.problems.push(`LEASE_SECONDS="${leaseText}" must be an integer >= ${MIN_LEASE_SECONDS} (longer than the job timeout)`);
  }
  const zone = r.required(V.businessTimeZone);
  if (zone !== "" && !isValidTimeZone(zone)) r.problems.push(`BUSINESS_TIME_ZONE="${zone}" is not an IANA time zone`);
  const sourceZone = r.optional(V.sourceTimeZone) ?? DEFAULT_SOURCE_TIME_ZONE;
  if (!isValidTimeZone(sourceZone)) r.problems.push(`SOURCE_TIME_ZONE="${sourceZone}" is not an IANA time zone`);
  const endpoint = r.optional(V.awsEndpointUrl);
  if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(endpoint))
    r.problems.push(`AWS_ENDPOINT_URL="${endpoint}" is not an http(s) URL`);

  const config: CoordinatorConfig = {
    lakeName: r.required(V.lakeName, NAME, "a name"),
    environment: r.required(V.environment, NAME, "a name"),
    stateTable: r.required(V.stateTable, /^[A-Za-z0-9_.-]{3,255}$/, "a DynamoDB table name"),
    manifestBucket: r.required(V.manifestBucket, BUCKET, "an S3 bucket name"),
    rawBucket: r.required(V.rawBucket, BUCKET, "an S3 bucket name"),
    warehouseBucket: r.required(V.warehouseBucket, BUCKET, "an S3 bucket name"),
    databasePrefix: r.required(V.databasePrefix, LAKE_IDENTIFIER, "a lower-case identifier"),
    tierJobs: r.nameMap(V.tierJobs, "tier"),
    crawlers: r.nameMap(V.crawlers, "domain"),
    alertTopicArn: r.required(V.alertTopicArn, /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, "an SNS topic ARN"),
    source: {
      engine: (isSourceEngine(engine) ? engine : "mariadb") as SourceEngine,
      database: r.required(V.sourceDatabase),
      schema,
      connectionName: r.required(V.sourceConnection, NAME, "a Glue connection name"),
      timeZone: sourceZone,
    },
    leaseSeconds,
    businessTimeZone: zone,
    tablesFile: path.resolve(bundleDir, r.optional(V.tablesFile) ?? COORDINATOR_ENV_DEFAULTS.tablesFile),
    icebergCatalog: r.optional(V.icebergCatalog) ?? COORDINATOR_ENV_DEFAULTS.icebergCatalog,
    awsEndpointUrl: endpoint,
    piiTagKey: r.optional(V.piiTagKey) ?? DEFAULT_PII_TAG_KEY,
    lakeRoots: lakeRoots(r),
  };
  if (!/^[A-Za-z0-9_.:/=+@-]{1,128}$/.test(config.piiTagKey)) r.problems.push(`PII_TAG_KEY="${config.piiTagKey}" is not an LF-tag key`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(config.icebergCatalog)) {
    r.problems.push(`ICEBERG_CATALOG="${config.icebergCatalog}" is not a Spark catalog name`);
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** Problems between the configuration and the model: a tier without a job, a domain without a crawler. */
export function configModelProblems(config: CoordinatorConfig, tiers: readonly string[], domains: readonly string[]): string[] {
  const problems: string[] = [];
  for (const tier of tiers) if (!(tier in config.tierJobs)) problems.push(`TIER_JOBS has no job for tier "${tier}"`);
  for (const domain of domains) if (!(domain in config.crawlers)) problems.push(`CRAWLERS has no crawler for domain "${domain}"`);
  return problems;
}

/**
 * The stack's settings, read from Pulumi config (namespace `lake`) and checked once, with
 * errors that name the config key. Pulumi.<stack>.yaml holds every one of them.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_PORTS,
  engineProblem,
  firesPerActiveHour,
  isSourceEngine,
  isValidTimeZone,
  type SourceLocation,
  type TierSpec,
} from "../model";
import { GLUE_JOB_DEFAULTS } from "../components/defaults";
import type { TierJobSettings } from "../components/ingestTier";
import type { SourceNetwork } from "../components/sourceConnection";
import { MIN_GLUE_VERSION, MIN_GLUE_WORKERS } from "../policies/conventions";

export interface LakeStackConfig {
  /** Short name of the lake; prefixes physical names. */
  readonly lakeName: string;
  readonly environment: string;
  readonly region: string;
  readonly businessTimeZone: string;
  readonly tablesFile: string;
  readonly source: SourceLocation & {
    readonly secretId: string;
    /** IANA zone the source's DATETIME wall times are in (lake:source.timeZone, default UTC). */
    readonly timeZone: string;
  };
  readonly network: SourceNetwork;
  readonly lakeFormation: {
    /** This stack owns the account's DataLakeSettings (one stack per account does). */
    readonly manageSettings: boolean;
    readonly admins: readonly string[];
    /** Prefix for the LF-tag keys (account-wide), when two lakes share an account. */
    readonly tagKeyPrefix: string;
  };
  /** Role name (as in tables.yaml access rules) -> IAM principal ARN. */
  readonly rolePrincipals: Readonly<Record<string, string>>;
  readonly alerts: { readonly email?: string };
  readonly glue: { readonly tiers: Readonly<Record<string, TierJobSettings>>; readonly defaults: TierJobSettings };
  readonly leaseMarginMinutes: number;
  readonly forceDestroy: boolean;
}

export class StackConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`stack config has ${problems.length} problem(s):\n` + problems.map((p) => `  ${p}`).join("\n"));
    this.name = "StackConfigError";
  }
}

const IAM_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

/** Worker types of a Glue Spark ETL job (glueetl) on Glue 5. */
export const GLUE_SPARK_WORKER_TYPES: readonly string[] = [
  "G.1X",
  "G.2X",
  "G.4X",
  "G.8X",
  "G.12X",
  "G.16X",
  "R.1X",
  "R.2X",
  "R.4X",
  "R.8X",
];
/** Worker types Glue has but a Spark ETL job cannot use, and why. */
const OTHER_WORKER_TYPES: Readonly<Record<string, string>> = {
  "G.025X": "is for Glue streaming jobs only",
  "Z.2X": "is for Glue Ray jobs only",
  Standard: "is a legacy worker type that Glue 2.0 and later do not run",
};
/** Flex execution runs on these worker types only. */
export const GLUE_FLEX_WORKER_TYPES: readonly string[] = ["G.1X", "G.2X"];
/** Glue's longest job timeout (48 hours). */
export const MAX_GLUE_TIMEOUT_MINUTES = 2880;
const JOB_SETTING_KEYS = [
  "glueVersion",
  "workerType",
  "numberOfWorkers",
  "timeoutMinutes",
  "flex",
  "maxConcurrentRuns",
  "tableConcurrency",
  "snapshotRetentionHours",
  "mergeMode",
] as const;
/** Time travel reaches back this far at least; orphan-file removal never touches younger files. */
const MIN_SNAPSHOT_RETENTION_HOURS = 24;
const MERGE_MODES = ["copy-on-write", "merge-on-read"] as const;

/** "5.1" -> [5, 1]; undefined unless the text is <major>.<minor>. */
function glueVersionParts(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function glueVersionAtLeast(v: [number, number], min: [number, number]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

const isWholeNumber = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/**
 * Checks one block of Glue job settings (lake:glue.defaults or lake:glue.tiers.<tier>) field by
 * field, naming the stack file key of every problem, and returns the settings it holds.
 */
function readJobSettings(raw: Dict, key: string, problems: string[]): TierJobSettings {
  const known: readonly string[] = JOB_SETTING_KEYS;
  for (const field of Object.keys(raw)) {
    if (!known.includes(field)) problems.push(`${key}.${field} is not a Glue job setting (known: ${known.join(", ")})`);
  }
  const { glueVersion, workerType, numberOfWorkers, timeoutMinutes, flex, maxConcurrentRuns } = raw;
  const { tableConcurrency, snapshotRetentionHours, mergeMode } = raw;
  const settings: { -readonly [K in keyof TierJobSettings]: TierJobSettings[K] } = {};
  if (glueVersion !== undefined) {
    const parts = typeof glueVersion === "string" ? glueVersionParts(glueVersion) : undefined;
    const min = glueVersionParts(MIN_GLUE_VERSION) as [number, number];
    if (parts === undefined)
      problems.push(`${key}.glueVersion must be a string like "5.1" (quoted in the stack file), got ${JSON.stringify(glueVersion)}`);
    else if (!glueVersionAtLeast(parts, min))
      problems.push(`${key}.glueVersion must be "${MIN_GLUE_VERSION}" or later (Spark 3.5, Iceberg), got "${String(glueVersion)}"`);
    else settings.glueVersion = glueVersion as string;
  }
  if (workerType !== undefined) {
    if (typeof workerType === "string" && GLUE_SPARK_WORKER_TYPES.includes(workerType)) settings.workerType = workerType;
    else {
      const why = typeof workerType === "string" ? OTHER_WORKER_TYPES[workerType] : undefined;
      problems.push(
        `${key}.workerType ${JSON.stringify(workerType)} ${why ?? "is not a Glue worker type"}: a Spark job takes one of ${GLUE_SPARK_WORKER_TYPES.join(", ")}`,
      );
    }
  }
  if (numberOfWorkers !== undefined) {
    if (isWholeNumber(numberOfWorkers) && numberOfWorkers >= MIN_GLUE_WORKERS) settings.numberOfWorkers = numberOfWorkers;
    else
      problems.push(
        `${key}.numberOfWorkers must be a whole number >= ${MIN_GLUE_WORKERS} (one driver and at least one executor), got ${JSON.stringify(numberOfWorkers)}`,
      );
  }
  if (timeoutMinutes !== undefined) {
    if (isWholeNumber(timeoutMinutes) && timeoutMinutes >= 1 && timeoutMinutes <= MAX_GLUE_TIMEOUT_MINUTES)
      settings.timeoutMinutes = timeoutMinutes;
    else
      problems.push(
        `${key}.timeoutMinutes must be a whole number of minutes from 1 to ${MAX_GLUE_TIMEOUT_MINUTES}, got ${JSON.stringify(timeoutMinutes)}`,
      );
  }
  if (flex !== undefined) {
    if (typeof flex === "boolean") settings.flex = flex;
    else problems.push(`${key}.flex must be true or false, got ${JSON.stringify(flex)}`);
  }
  if (maxConcurrentRuns !== undefined) {
    if (isWholeNumber(maxConcurrentRuns) && maxConcurrentRuns >= 1) settings.maxConcurrentRuns = maxConcurrentRuns;
    else problems.push(`${key}.maxConcurrentRuns must be a whole number >= 1, got ${JSON.stringify(maxConcurrentRuns)}`);
  }
  if (tableConcurrency !== undefined) {
    if (isWholeNumber(tableConcurrency) && tableConcurrency >= 1) settings.tableConcurrency = tableConcurrency;
    else problems.push(`${key}.tableConcurrency must be a whole number >= 1, got ${JSON.stringify(tableConcurrency)}`);
  }
  if (snapshotRetentionHours !== undefined) {
    if (isWholeNumber(snapshotRetentionHours) && snapshotRetentionHours >= MIN_SNAPSHOT_RETENTION_HOURS)
      settings.snapshotRetentionHours = snapshotRetentionHours;
    else
      problems.push(
        `${key}.snapshotRetentionHours must be a whole number of hours >= ${MIN_SNAPSHOT_RETENTION_HOURS}, got ${JSON.stringify(snapshotRetentionHours)}`,
      );
  }
  if (mergeMode !== undefined) {
    const mode = MERGE_MODES.find((m) => m === mergeMode);
    if (mode !== undefined) settings.mergeMode = mode;
    else problems.push(`${key}.mergeMode must be one of ${MERGE_MODES.join(", ")}, got ${JSON.stringify(mergeMode)}`);
  }
  return settings;
}

/** The stack file key a tier's effective setting comes from (the tier's own, else the defaults). */
function settingKey(glue: LakeStackConfig["glue"], tier: string, field: keyof TierJobSettings): string {
  return glue.tiers[tier]?.[field] !== undefined ? `lake:glue.tiers.${tier}.${field}` : `lake:glue.defaults.${field}`;
}

/**
 * Checks lake:glue against the tiers tables.yaml declares: settings only for declared tiers, and
 * no Flex on a tier that fires more than once an hour (a Flex run may wait minutes for capacity,
 * which defeats a sub-hourly schedule). Throws StackConfigError naming the stack file keys.
 */
export function checkGlueSettingsForTiers(glue: LakeStackConfig["glue"], tiers: readonly TierSpec[], tablesFile: string): void {
  const problems: string[] = [];
  const unknown = Object.keys(glue.tiers).filter((t) => !tiers.some((tier) => tier.name === t));
  if (unknown.length > 0) problems.push(`lake:glue.tiers names tiers that ${tablesFile} does not declare: ${unknown.join(", ")}`);
  for (const tier of tiers) {
    const flex = glue.tiers[tier.name]?.flex ?? glue.defaults.flex ?? false;
    const perHour = firesPerActiveHour(tier.cron);
    if (flex && perHour > 1) {
      const key = settingKey(glue, tier.name, "flex");
      problems.push(
        `${key} is true, but tier ${tier.name} fires ${perHour} times an hour: a Flex run may wait minutes to start, ` +
          `which defeats a sub-hourly tier (set lake:glue.tiers.${tier.name}.flex: false)`,
      );
    }
  }
  if (problems.length > 0) throw new StackConfigError(problems);
}

export function readStackConfig(): LakeStackConfig {
  const lake = new pulumi.Config("lake");
  const aws = new pulumi.Config("aws");
  const problems: string[] = [];
  // Records a problem and returns "" so every key is checked before the first error is thrown.
  const need = (key: string, value: string | undefined, check: (v: string) => string | undefined): string => {
    if (value === undefined) {
      problems.push(`lake:${key} is required`);
      return "";
    }
    const problem = check(value);
    if (problem) problems.push(`lake:${key} ${problem}`);
    return value;
  };
  const str = (d: Dict, k: string): string | undefined => (typeof d[k] === "string" ? (d[k] as string) : undefined);

  const lakeName = need("name", lake.get("name"), (v) =>
    /^[a-z][a-z0-9-]{1,20}$/.test(v) ? undefined : "must be lower-case letters, digits and dashes (2-21 characters)",
  );
  const environment = pulumi.getStack();
  const region = aws.get("region") ?? "";
  if (!region) problems.push("aws:region is required");
  const businessTimeZone = need("businessTimeZone", lake.get("businessTimeZone"), (v) =>
    isValidTimeZone(v) ? undefined : `"${v}" is not an IANA time zone`,
  );

  const sourceRaw = lake.getObject<Dict>("source") ?? {};
  const engine = str(sourceRaw, "engine") ?? "";
  const unloadable = engineProblem(engine);
  if (unloadable) problems.push(unloadable);
  const secretId = str(sourceRaw, "secretId");
  if (!secretId) problems.push("lake:source.secretId (Secrets Manager secret name or ARN with the source credentials) is required");
  for (const forbidden of ["password", "user", "username"]) {
    if (forbidden in sourceRaw)
      problems.push(`lake:source.${forbidden} must not be in config: credentials live in the Secrets Manager secret lake:source.secretId`);
  }
  const host = str(sourceRaw, "host");
  const database = str(sourceRaw, "database");
  if (!host) problems.push("lake:source.host is required");
  if (!database) problems.push("lake:source.database is required");
  const port = typeof sourceRaw.port === "number" ? sourceRaw.port : isSourceEngine(engine) ? DEFAULT_PORTS[engine] : 0;
  const sourceTimeZone = sourceRaw.timeZone ?? "UTC";
  if (typeof sourceTimeZone !== "string" || !isValidTimeZone(sourceTimeZone))
    problems.push(
      `lake:source.timeZone ${JSON.stringify(sourceTimeZone)} is not an IANA time zone: use the Area/Location of the source's DATETIME wall times (e.g. "Europe/Berlin"), or "UTC"`,
    );

  const networkRaw = lake.getObject<Dict>("network") ?? {};
  const securityGroupIds = Array.isArray(networkRaw.securityGroupIds)
    ? networkRaw.securityGroupIds.filter((s): s is string => typeof s === "string")
    : [];
  if (!str(networkRaw, "subnetId")) problems.push("lake:network.subnetId is required (the Glue connection runs in it)");
  if (!str(networkRaw, "availabilityZone")) problems.push("lake:network.availabilityZone is required (the subnet's zone)");
  if (securityGroupIds.length === 0) problems.push("lake:network.securityGroupIds must list at least one security group");

  const lfRaw = lake.getObject<Dict>("lakeFormation") ?? {};
  const admins = Array.isArray(lfRaw.admins) ? lfRaw.admins.filter((s): s is string => typeof s === "string") : [];
  admins.forEach((a) => {
    if (!IAM_ARN.test(a)) problems.push(`lake:lakeFormation.admins: "${a}" is not an IAM role or user ARN`);
  });
  const manageSettings = lfRaw.manageSettings === true;
  if (manageSettings && admins.length === 0)
    problems.push("lake:lakeFormation.admins must list at least one admin when manageSettings is true");

  const rolePrincipals = lake.getObject<Record<string, string>>("rolePrincipals") ?? {};
  for (const [role, arn] of Object.entries(rolePrincipals)) {
    if (typeof arn !== "string" || !IAM_ARN.test(arn))
      problems.push(`lake:rolePrincipals.${role}: "${String(arn)}" is not an IAM role or user ARN`);
    else if (admins.includes(arn))
      problems.push(
        `lake:rolePrincipals.${role}: ${arn} is a Lake Formation admin; grants never target admins (they see everything anyway)`,
      );
  }

  const glueRaw = lake.getObject<Dict>("glue") ?? {};
  for (const field of Object.keys(glueRaw)) {
    if (field !== "defaults" && field !== "tiers") problems.push(`lake:glue.${field} is not a setting (lake:glue has defaults and tiers)`);
  }
  if (glueRaw.defaults !== undefined && !isDict(glueRaw.defaults)) problems.push("lake:glue.defaults must be a mapping");
  if (glueRaw.tiers !== undefined && !isDict(glueRaw.tiers)) problems.push("lake:glue.tiers must be a mapping of tier name to settings");
  const defaults = readJobSettings(isDict(glueRaw.defaults) ? glueRaw.defaults : {}, "lake:glue.defaults", problems);
  const tiers: Record<string, TierJobSettings> = {};
  for (const [tier, settings] of Object.entries(isDict(glueRaw.tiers) ? glueRaw.tiers : {})) {
    if (!isDict(settings)) problems.push(`lake:glue.tiers.${tier} must be a mapping`);
    else tiers[tier] = readJobSettings(settings, `lake:glue.tiers.${tier}`, problems);
  }
  // Flex runs on G.1X and G.2X only: check every combination a job can get (defaults alone, and each tier over them).
  const glue = { defaults, tiers };
  for (const tier of [undefined, ...Object.keys(tiers)]) {
    const effective = { ...defaults, ...(tier === undefined ? {} : tiers[tier]) };
    const workerType = effective.workerType ?? GLUE_JOB_DEFAULTS.workerType;
    if (effective.flex === true && !GLUE_FLEX_WORKER_TYPES.includes(workerType)) {
      const flexKey = tier === undefined ? "lake:glue.defaults.flex" : settingKey(glue, tier, "flex");
      const typeKey = tier === undefined ? "lake:glue.defaults.workerType" : settingKey(glue, tier, "workerType");
      const problem = `${flexKey} is true with ${typeKey} ${workerType}: Flex runs on ${GLUE_FLEX_WORKER_TYPES.join(" or ")} only`;
      if (!problems.includes(problem)) problems.push(problem);
    }
  }

  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    lakeName,
    environment,
    region,
    businessTimeZone,
    tablesFile: lake.get("tablesFile") ?? "tables.yaml",
    source: {
      engine: engine as SourceLocation["engine"],
      host: host as string,
      port,
      database: database as string,
      schema: str(sourceRaw, "schema"),
      requireTls: sourceRaw.requireTls !== false,
      secretId: secretId as string,
      timeZone: sourceTimeZone as string,
    },
    network: { subnetId: networkRaw.subnetId as string, availabilityZone: networkRaw.availabilityZone as string, securityGroupIds },
    lakeFormation: { manageSettings, admins, tagKeyPrefix: str(lfRaw, "tagKeyPrefix") ?? "" },
    rolePrincipals,
    alerts: { email: str(lake.getObject<Dict>("alerts") ?? {}, "email") },
    glue,
    leaseMarginMinutes: lake.getNumber("leaseMarginMinutes") ?? 30,
    forceDestroy: lake.getBoolean("forceDestroy") ?? false,
  };
}

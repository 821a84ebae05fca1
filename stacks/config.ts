/**
 * The stack's settings, read from Pulumi config (namespace `lake`) and checked once, with
 * errors that name the config key. Pulumi.<stack>.yaml holds every one of them.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_PORTS, isSourceEngine, isValidTimeZone, type SourceLocation } from "../model";
import type { TierJobSettings } from "../components/ingestTier";
import type { SourceNetwork } from "../components/sourceConnection";

export interface LakeStackConfig {
  /** Short name of the lake; prefixes physical names. */
  readonly lakeName: string;
  readonly environment: string;
  readonly region: string;
  readonly businessTimeZone: string;
  readonly tablesFile: string;
  readonly source: SourceLocation & { readonly secretId: string };
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
  if (!isSourceEngine(engine))
    problems.push(`lake:source.engine must be one of mariadb, mysql, postgresql, sqlserver, oracle (got "${engine}")`);
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
  const tiersRaw = isDict(glueRaw.tiers) ? glueRaw.tiers : {};
  const tiers: Record<string, TierJobSettings> = {};
  for (const [tier, settings] of Object.entries(tiersRaw)) {
    if (!isDict(settings)) problems.push(`lake:glue.tiers.${tier} must be a mapping`);
    else tiers[tier] = settings as TierJobSettings;
  }
  const defaults = isDict(glueRaw.defaults) ? (glueRaw.defaults as TierJobSettings) : {};

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
    },
    network: { subnetId: networkRaw.subnetId as string, availabilityZone: networkRaw.availabilityZone as string, securityGroupIds },
    lakeFormation: { manageSettings, admins, tagKeyPrefix: str(lfRaw, "tagKeyPrefix") ?? "" },
    rolePrincipals,
    alerts: { email: str(lake.getObject<Dict>("alerts") ?? {}, "email") },
    glue: { tiers, defaults },
    leaseMarginMinutes: lake.getNumber("leaseMarginMinutes") ?? 30,
    forceDestroy: lake.getBoolean("forceDestroy") ?? false,
  };
}

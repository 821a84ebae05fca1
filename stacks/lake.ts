/**
 * Composes the lake from the tables.yaml model and the stack config. Resources grow with
 * tiers, domains and roles, never with tables: tables reach the run plane through the
 * model shipped with the coordinator and the run manifests.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { AnalystWorkgroup } from "../components/analystWorkgroup";
import { DEFAULT_ICEBERG_CATALOG, GLUE_JOB_DEFAULTS } from "../components/defaults";
import type { LakeTags } from "../components/common";
import { Coordinator } from "../components/coordinator";
import { FreshnessAlarms } from "../components/freshnessAlarms";
import { GovernanceTags } from "../components/governanceTags";
import { GovernedDatabase } from "../components/governedDatabase";
import { IngestCode } from "../components/ingestCode";
import { IngestTier, type TierJobSettings } from "../components/ingestTier";
import { LakeDashboard } from "../components/lakeDashboard";
import { LakeFormationSettings } from "../components/lakeFormationSettings";
import { LakeStorage } from "../components/lakeStorage";
import { RawZoneCrawler } from "../components/rawZoneCrawler";
import { RoleGrant } from "../components/roleGrant";
import { ServiceRoles } from "../components/serviceRoles";
import { SourceConnection } from "../components/sourceConnection";
import { defaultSchema, tierTimeZone, type LakeModel } from "../model";
import { checkGlueSettingsForTiers, type LakeStackConfig } from "./config";
import { INGEST_CODE } from "./ingestCodePaths";

export interface LakeOutputs {
  readonly buckets: Record<string, pulumi.Output<string>>;
  readonly jobs: Record<string, pulumi.Output<string>>;
  readonly databases: Record<string, { full: pulumi.Output<string>; raw: pulumi.Output<string> }>;
  readonly crawlers: Record<string, pulumi.Output<string>>;
  readonly stateTable: pulumi.Output<string>;
  /** Access rule -> its Athena workgroup. */
  readonly workgroups: Record<string, pulumi.Output<string>>;
  /** Access rule -> identity policy (JSON) to attach to its principal: its workgroup and result prefix only. */
  readonly analystPolicies: Record<string, pulumi.Output<string>>;
  readonly coordinatorFunction: pulumi.Output<string>;
  readonly alertTopicArn: pulumi.Output<string>;
  readonly connection: pulumi.Output<string>;
}

/** Settings of one tier's job: the tier's own over the defaults. */
export function tierSettings(config: LakeStackConfig, tier: string): TierJobSettings {
  return { ...config.glue.defaults, ...(config.glue.tiers[tier] ?? {}) };
}

export function createLake(model: LakeModel, config: LakeStackConfig, root: string): LakeOutputs {
  const id = `${config.lakeName}-${config.environment}`;
  const databasePrefix = id.replace(/-/g, "_");
  const tags: LakeTags = { lake: config.lakeName, environment: config.environment, "managed-by": "pulumi" };

  // Access rules must map to principals: checked here with the rule's position in tables.yaml.
  const unmapped = model.access.filter((rule) => !(rule.role in config.rolePrincipals));
  if (unmapped.length > 0) {
    throw new Error(
      `${model.file}: access rules name roles without a principal in lake:rolePrincipals: ${unmapped.map((r) => r.role).join(", ")}`,
    );
  }
  checkGlueSettingsForTiers(config.glue, model.tiers, model.file);

  const account = aws.getCallerIdentityOutput({});
  const accountId = account.accountId;
  const region = aws.getRegionOutput({}).region;

  const storage = new LakeStorage(id, { tags, forceDestroy: config.forceDestroy });
  // Databases, locations and grants wait for the account's settings: owned here, or (when
  // another stack owns them) checked to give IAMAllowedPrincipals nothing on new databases and
  // tables; the check fails the preview before any of them is created.
  const grantsDependOn: pulumi.Input<pulumi.Resource>[] = config.lakeFormation.manageSettings
    ? [new LakeFormationSettings(`${id}-lf`, { admins: config.lakeFormation.admins })]
    : [accountDefaultsChecked(storage)];
  const governanceTags = new GovernanceTags(
    `${id}-tags`,
    { domains: model.domains.map((d) => d.name), keyPrefix: config.lakeFormation.tagKeyPrefix },
    { dependsOn: grantsDependOn },
  );

  const tierJobs = Object.fromEntries(model.tiers.map((t) => [t.name, `${id}-${t.name}`.replace(/_/g, "-")]));
  const crawlerNames = Object.fromEntries(model.domains.map((d) => [d.name, `${id}-raw-${d.name}`.replace(/_/g, "-")]));
  const longestTimeout = Math.max(
    ...model.tiers.map((t) => tierSettings(config, t.name).timeoutMinutes ?? GLUE_JOB_DEFAULTS.timeoutMinutes),
  );
  const connectionName = `${id}-source`;

  const coordinator = new Coordinator(id, {
    tags,
    storage,
    handlerEntry: join(root, "handlers/coordinator/index.ts"),
    tablesFile: join(root, config.tablesFile),
    environmentName: config.environment,
    catchAllTier: model.tiers.find((t) => t.syncsAllTables)?.name ?? model.tiers[0].name,
    tierJobs,
    crawlers: crawlerNames,
    leaseSeconds: (longestTimeout + config.leaseMarginMinutes) * 60,
    longestJobTimeoutMinutes: longestTimeout,
    databasePrefix,
    piiTagKey: governanceTags.piiKey,
    grantsDependOn: [...grantsDependOn, governanceTags.piiTag],
    alertEmail: config.alerts.email,
    sourceTimeZone: config.source.timeZone,
    accountId,
    region,
    source: {
      engine: config.source.engine,
      database: config.source.database,
      schema: defaultSchema(config.source),
      connectionName,
    },
    businessTimeZone: config.businessTimeZone,
    icebergCatalog: DEFAULT_ICEBERG_CATALOG,
  });

  const roles = new ServiceRoles(`${id}-service`, {
    tags,
    storage,
    sourceSecretArn: secretArn(config.source.secretId, region, accountId),
    databasePrefix,
    stateTableArn: coordinator.stateTable.arn,
    connectionName,
    network: config.network,
    domains: model.domains.map((d) => d.name),
  });
  const source = new SourceConnection(`${id}-source`, {
    tags,
    connectionName,
    location: config.source,
    secretId: config.source.secretId,
    network: config.network,
  });

  const databases: LakeOutputs["databases"] = {};
  const crawlers: LakeOutputs["crawlers"] = {};
  const databaseResources: GovernedDatabase[] = [];
  for (const domain of model.domains) {
    const db = new GovernedDatabase(`${id}-${domain.name}`, {
      tags,
      domain,
      databasePrefix,
      buckets: storage.buckets,
      tagKeys: governanceTags,
      dataAccessRoleArn: roles.dataAccessRole.arn,
      ingestJobRoleArn: roles.ingestJobRole.arn,
      crawlerRoleArn: roles.crawlerRoles[domain.name].arn,
      coordinatorRoleArn: coordinator.role.arn,
      settingsDependOn: grantsDependOn,
    });
    databaseResources.push(db);
    databases[domain.name] = { full: db.fullDatabaseName, raw: db.rawDatabaseName };
    crawlers[domain.name] = new RawZoneCrawler(
      `${id}-${domain.name}-raw`,
      {
        tags,
        domain: domain.name,
        crawlerName: crawlerNames[domain.name],
        rawDatabaseName: db.rawDatabaseName,
        rawBucketName: storage.buckets.raw.name,
        roleArn: roles.crawlerRoles[domain.name].arn,
        securityConfigurationName: roles.securityConfiguration.name,
      },
      { dependsOn: [db] },
    ).crawlerName;
  }

  for (const rule of model.access) {
    new RoleGrant(`${id}-grant-${rule.role}`, {
      rule,
      principalArn: config.rolePrincipals[rule.role],
      tagKeys: governanceTags,
      grantsDependOn: [...grantsDependOn, ...databaseResources],
    });
  }

  const code = new IngestCode(`${id}-ingest-code`, {
    tags,
    storage,
    scriptPath: join(root, INGEST_CODE.script),
    packageDir: join(root, INGEST_CODE.packageDir),
    packageExtras: Object.fromEntries(Object.entries(INGEST_CODE.packageExtras).map(([k, v]) => [k, join(root, v)])),
    driverJarPath: join(root, INGEST_CODE.driverJar(config.source.engine)),
  });

  const jobs: LakeOutputs["jobs"] = {};
  const jobRoles: Record<string, aws.iam.Role> = {};
  for (const tier of model.tiers) {
    const ingest = new IngestTier(`${id}-${tier.name}`, {
      tags,
      tier,
      timeZone: tierTimeZone(tier, config.businessTimeZone),
      jobName: tierJobs[tier.name],
      settings: tierSettings(config, tier.name),
      roleArn: roles.ingestJobRole.arn,
      securityConfigurationName: roles.securityConfiguration.name,
      connectionName: source.connectionName,
      scriptUri: code.scriptUri,
      packageUri: code.packageUri,
      driverJarUri: code.driverJarUri,
      warehouseUri: pulumi.interpolate`s3://${storage.buckets.warehouse.name}/warehouse/`,
      tempDirUri: pulumi.interpolate`s3://${storage.buckets.scripts.name}/temp/`,
      icebergCatalog: DEFAULT_ICEBERG_CATALOG,
      coordinatorFunctionArn: coordinator.function.arn,
      scheduleGroup: { name: coordinator.scheduleGroup.name, arn: coordinator.scheduleGroup.arn },
      deadLetterQueueArn: coordinator.deliveryDeadLetters.arn,
      accountId,
    });
    jobs[tier.name] = ingest.jobName;
    jobRoles[tier.name] = ingest.scheduleRole;
  }

  // One workgroup and result prefix per access rule: a role never reads another's query results.
  const workgroups: LakeOutputs["workgroups"] = {};
  const analystPolicies: LakeOutputs["analystPolicies"] = {};
  const queryResults = model.access.map((rule) => {
    const wg = new AnalystWorkgroup(`${id}-analysts-${rule.role}`, {
      tags,
      workgroupName: `${id}-${rule.role}`,
      rule: rule.role,
      principalArn: config.rolePrincipals[rule.role],
      resultsBucketName: storage.buckets.athena.name,
      resultsBucketArn: storage.buckets.athena.arn,
      kmsKeyArn: storage.keyArn,
    });
    workgroups[rule.role] = wg.workgroupName;
    analystPolicies[rule.role] = wg.identityPolicy;
    return { prefix: wg.resultsPrefix, principalArn: config.rolePrincipals[rule.role] };
  });

  const scheduleRoleArns = Object.values(jobRoles).map((r) => r.arn);
  storage.applyAccessPolicies({
    // Lake Formation vends the data-access role's credentials to every governed reader and to the
    // crawlers (Lake Formation credentials); the job writes with its own role (IAM mode).
    dataRoleArns: [roles.dataAccessRole.arn, roles.ingestJobRole.arn],
    queryResults,
    // The Lake Formation admins operate the lake (the lake CLI reads the state table and the
    // manifests, replays dead letters); the bucket policies still keep them off the data objects.
    keyUsers: {
      s3: [
        roles.dataAccessRole.arn,
        roles.ingestJobRole.arn,
        coordinator.role.arn,
        ...queryResults.map((q) => q.principalArn),
        ...config.lakeFormation.admins,
      ],
      dynamodb: [coordinator.role.arn, roles.ingestJobRole.arn, ...config.lakeFormation.admins],
      sns: [coordinator.role.arn],
      sqs: [coordinator.role.arn, ...scheduleRoleArns, ...config.lakeFormation.admins],
      lambda: [coordinator.role.arn],
    },
    deadLetterRuleArns: [coordinator.jobStateRule.arn, coordinator.crawlerStateRule.arn],
  });

  // Operators' view: freshness alarms per tier and the dashboard (components/freshnessAlarms.ts, lakeDashboard.ts).
  const timeZones = Object.fromEntries(model.tiers.map((t) => [t.name, tierTimeZone(t, config.businessTimeZone)]));
  const freshness = new FreshnessAlarms(`${id}-freshness`, {
    tags,
    lakeName: coordinator.metricScope.lakeName,
    environmentName: coordinator.metricScope.environment,
    tiers: model.tiers,
    timeZones,
    alarmTopicArn: coordinator.alertTopic.arn,
  });
  new LakeDashboard(`${id}-ops`, {
    lakeName: coordinator.metricScope.lakeName,
    environmentName: coordinator.metricScope.environment,
    tiers: model.tiers.map((t) => t.name),
    region,
    coordinatorFunctionName: coordinator.function.name,
    freshnessAlarmArns: freshness.alarms.map((a) => a.arn),
  });

  return {
    buckets: Object.fromEntries(Object.entries(storage.buckets).map(([k, b]) => [k, b.name])),
    jobs,
    databases,
    crawlers,
    stateTable: coordinator.stateTable.name,
    workgroups,
    analystPolicies,
    coordinatorFunction: coordinator.function.name,
    alertTopicArn: coordinator.alertTopic.arn,
    connection: source.connectionName,
  };
}

/** The secret's ARN pattern for IAM when config gives its name (Secrets Manager appends a suffix). */
function secretArn(secretId: string, region: pulumi.Output<string>, accountId: pulumi.Output<string>): pulumi.Output<string> {
  if (secretId.startsWith("arn:")) return pulumi.output(secretId);
  return pulumi.interpolate`arn:aws:secretsmanager:${region}:${accountId}:secret:${secretId}-??????`;
}

/**
 * When another stack owns DataLakeSettings, the account defaults decide what a new database or
 * table grants: Glue's CreateTableDefaultPermissions cannot be set empty from here (the provider
 * sends nothing for an empty list, so the account default applies) and aws.lakeformation.Permissions
 * cannot revoke a grant it did not make. So the stack refuses to create any database while the
 * defaults give IAMAllowedPrincipals anything. Resolves to `after` when they are empty.
 */
function accountDefaultsChecked(after: pulumi.Resource): pulumi.Output<pulumi.Resource> {
  return aws.lakeformation.getDataLakeSettingsOutput({}, { parent: after }).apply((s) => {
    const problem = iamAllowedPrincipalsDefaults(s);
    if (problem) throw new Error(problem);
    return after;
  });
}

/** Why the account's Lake Formation defaults are unsafe for a lake that does not own them, or undefined. */
export function iamAllowedPrincipalsDefaults(settings: {
  readonly createDatabaseDefaultPermissions: readonly { readonly principal: string }[];
  readonly createTableDefaultPermissions: readonly { readonly principal: string }[];
}): string | undefined {
  const fields = (["createDatabaseDefaultPermissions", "createTableDefaultPermissions"] as const).filter((field) =>
    settings[field].some((p) => p.principal === "IAM_ALLOWED_PRINCIPALS"),
  );
  if (fields.length === 0) return undefined;
  return (
    `lake:lakeFormation.manageSettings is false, but the account's Lake Formation settings grant IAM_ALLOWED_PRINCIPALS in ${fields.join(" and ")}: ` +
    "every new database and table of the lake would be readable with IAM alone, around Lake Formation. " +
    "Empty both lists in the stack that owns DataLakeSettings (or set lake:lakeFormation.manageSettings: true here), then run again."
  );
}

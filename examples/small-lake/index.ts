/**
 * A small governed lake composed from the governed-lake component library: encrypted storage,
 * LF-tags, the service roles, one governed database per domain and one Glue job per tier, all
 * driven by this program's own tables.yaml. The coordinator (state table, schedule group, dead
 * letters) is an existing one, passed in by reference from config.
 */
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import {
  GovernanceTags,
  GovernedDatabase,
  INGEST_JOB_FILES,
  IngestCode,
  IngestTier,
  LakeStorage,
  RoleGrant,
  ServiceRoles,
} from "governed-lake";
import { loadTablesYaml, tierTimeZone } from "governed-lake/model";

const config = new pulumi.Config("smallLake");
const lakeName = config.require("lakeName");
/** Principals of the access rules in tables.yaml, by role name. */
const rolePrincipals = config.requireObject<Record<string, string>>("rolePrincipals");
/** The existing coordinator this lake's jobs report to. */
const coordinator = config.requireObject<{
  functionArn: string;
  stateTableArn: string;
  scheduleGroupName: string;
  scheduleGroupArn: string;
  deadLetterQueueArn: string;
  roleArn: string;
}>("coordinator");
/** The Glue connection to the source database, its subnet and the secret with its credentials. */
const source = config.requireObject<{
  connectionName: string;
  secretArn: string;
  network: { subnetId: string; securityGroupIds: string[]; availabilityZone: string };
}>("source");

const model = loadTablesYaml(join(__dirname, "tables.yaml"), { knownRoles: Object.keys(rolePrincipals) });
const tags = { lake: lakeName, "managed-by": "pulumi" };
const databasePrefix = lakeName.replace(/-/g, "_");
const accountId = pulumi.output(config.require("accountId"));

const storage = new LakeStorage(lakeName, { tags });
const governanceTags = new GovernanceTags(`${lakeName}-tags`, { domains: model.domains.map((d) => d.name) });
const roles = new ServiceRoles(`${lakeName}-service`, {
  tags,
  storage,
  sourceSecretArn: source.secretArn,
  databasePrefix,
  stateTableArn: coordinator.stateTableArn,
  connectionName: source.connectionName,
  network: source.network,
  domains: model.domains.map((d) => d.name),
});

export const databases: Record<string, pulumi.Output<string>> = {};
const databaseResources: GovernedDatabase[] = [];
for (const domain of model.domains) {
  const database = new GovernedDatabase(`${lakeName}-${domain.name}`, {
    tags,
    domain,
    databasePrefix,
    buckets: storage.buckets,
    tagKeys: governanceTags,
    dataAccessRoleArn: roles.dataAccessRole.arn,
    ingestJobRoleArn: roles.ingestJobRole.arn,
    crawlerRoleArn: roles.crawlerRoles[domain.name].arn,
    coordinatorRoleArn: coordinator.roleArn,
  });
  databaseResources.push(database);
  databases[domain.name] = database.fullDatabaseName;
}

// Tag-based grants: each access rule's principal reads its domains, PII columns only if cleared.
for (const rule of model.access) {
  new RoleGrant(`${lakeName}-grant-${rule.role}`, {
    rule,
    principalArn: rolePrincipals[rule.role],
    tagKeys: governanceTags,
    grantsDependOn: databaseResources,
  });
}

// The job's code ships inside the library; the JDBC driver jar is this program's to provide.
const code = new IngestCode(`${lakeName}-ingest-code`, {
  tags,
  storage,
  scriptPath: INGEST_JOB_FILES.script,
  packageDir: INGEST_JOB_FILES.packageDir,
  packageExtras: INGEST_JOB_FILES.packageExtras,
  driverJarPath: join(__dirname, config.require("driverJar")),
});

export const jobs: Record<string, pulumi.Output<string>> = {};
for (const tier of model.tiers) {
  const ingest = new IngestTier(`${lakeName}-${tier.name}`, {
    tags,
    tier,
    timeZone: tierTimeZone(tier, "UTC"),
    jobName: `${lakeName}-${tier.name}`,
    settings: {}, // GLUE_JOB_DEFAULTS: Glue 5.1, 2 × G.1X, 60 minutes
    roleArn: roles.ingestJobRole.arn,
    securityConfigurationName: roles.securityConfiguration.name,
    connectionName: source.connectionName,
    scriptUri: code.scriptUri,
    packageUri: code.packageUri,
    driverJarUri: code.driverJarUri,
    warehouseUri: pulumi.interpolate`s3://${storage.buckets.warehouse.name}/warehouse/`,
    tempDirUri: pulumi.interpolate`s3://${storage.buckets.scripts.name}/temp/`,
    coordinatorFunctionArn: coordinator.functionArn,
    scheduleGroup: { name: coordinator.scheduleGroupName, arn: coordinator.scheduleGroupArn },
    deadLetterQueueArn: coordinator.deadLetterQueueArn,
    accountId,
  });
  jobs[tier.name] = ingest.jobName;
}

// Bucket and key policies name exactly the roles that use the data (deny everyone else).
storage.applyAccessPolicies({
  dataRoleArns: [roles.dataAccessRole.arn, roles.ingestJobRole.arn],
  queryResults: [],
  keyUsers: {
    s3: [roles.dataAccessRole.arn, roles.ingestJobRole.arn, coordinator.roleArn],
    dynamodb: [roles.ingestJobRole.arn],
  },
});

export const buckets = Object.fromEntries(Object.entries(storage.buckets).map(([role, bucket]) => [role, bucket.name]));

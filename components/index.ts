/**
 * Public surface of the component library (the package's "." entry point): every component
 * with its args and outputs types, plus the paths of the handler files this package ships.
 * The tables.yaml model (loadTablesYaml, its types) is the "./model" entry point.
 */
export { AnalystWorkgroup, resultsPrefix, type AnalystWorkgroupArgs } from "./analystWorkgroup";
export { policyDocument, serviceTrustPolicy, objectArns, type LakeTags, type PolicyStatement } from "./common";
export { Coordinator, type CoordinatorArgs } from "./coordinator";
export {
  ANALYST_WORKGROUP_DEFAULTS,
  COORDINATOR_DEFAULTS,
  DEFAULT_ICEBERG_CATALOG,
  GLUE_JOB_DEFAULTS,
  GOVERNANCE_TAGS_DEFAULTS,
  LAKE_STORAGE_DEFAULTS,
} from "./defaults";
export { FreshnessAlarms, tierWatch, type FreshnessAlarmsArgs, type TierWatch } from "./freshnessAlarms";
export { GovernanceTags, PII_TAG_VALUES, type GovernanceTagsArgs } from "./governanceTags";
export { GovernedDatabase, type GovernedDatabaseArgs } from "./governedDatabase";
export { IngestCode, type IngestCodeArgs } from "./ingestCode";
export { IngestTier, type IngestTierArgs, type TierJobSettings } from "./ingestTier";
export { type KeyService, type LakeDataAccess, type QueryResultsAccess } from "./lakeAccessPolicies";
export { LakeDashboard, type LakeDashboardArgs } from "./lakeDashboard";
export { LakeFormationSettings, type LakeFormationSettingsArgs } from "./lakeFormationSettings";
export { LakeStorage, type LakeBucket, type LakeBucketRole, type LakeStorageArgs } from "./lakeStorage";
export { bundleHandler, type LambdaBundle } from "./lambdaBundle";
export { COORDINATOR_HANDLER_ENTRY, ICEBERG_CATALOG_FILE, INGEST_JOB_FILES, PACKAGE_ROOT } from "./packageFiles";
export { type LakeBucketRef, type LakeBucketRefs, type LakeStorageRef, type LfTagKeysRef } from "./references";
export { RawZoneCrawler, type RawZoneCrawlerArgs } from "./rawZoneCrawler";
export { RoleGrant, type RoleGrantArgs } from "./roleGrant";
export { ServiceRoles, type ServiceRolesArgs } from "./serviceRoles";
export { SourceConnection, type SourceConnectionArgs, type SourceNetwork } from "./sourceConnection";

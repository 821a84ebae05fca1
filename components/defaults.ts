/**
 * Every default of the components' optional args, in one place: the components apply these
 * constants, their TSDoc `@default` tags name them (test/components/argsDocs.test.ts checks the
 * values agree), and the stack config and the CLI read the Glue ones from here too. No imports,
 * so the CLI and the policy pack can load it without Pulumi.
 */

/** Defaults of a tier's Glue job (IngestTier's `settings`, the stack's lake:glue block, the CLI's cost estimate). */
export const GLUE_JOB_DEFAULTS = {
  /** Spark 3.5 and Iceberg on Glue; the policy pack requires 5.0 or newer. */
  glueVersion: "5.1",
  workerType: "G.1X",
  numberOfWorkers: 2,
  /** Minutes; the coordinator's lease is derived from the longest timeout. */
  timeoutMinutes: 60,
  flex: false,
  /** A retry may overlap a slow run. */
  maxConcurrentRuns: 2,
} as const;

/** Spark catalog name the Iceberg full copies are addressed through (job and coordinator). */
export const DEFAULT_ICEBERG_CATALOG = "glue_catalog";

/** Defaults of LakeStorage's lifecycle and deletion settings. */
export const LAKE_STORAGE_DEFAULTS = {
  rawInfrequentAccessAfterDays: 30,
  /** A year plus a margin for re-loads. */
  rawExpireAfterDays: 400,
  athenaResultsExpireAfterDays: 30,
  noncurrentVersionDays: 30,
  /** Run manifests under manifests/ in the scripts bucket. */
  manifestExpireAfterDays: 90,
  /** Data outlives the stack: `pulumi destroy` fails on a non-empty bucket. */
  forceDestroy: false,
} as const;

/** Defaults of GovernanceTags. */
export const GOVERNANCE_TAGS_DEFAULTS = {
  /** No prefix: the keys are exactly "domain" and "pii". */
  keyPrefix: "",
} as const;

/** Defaults of the Coordinator. */
export const COORDINATOR_DEFAULTS = {
  logRetentionDays: 90,
  reservedConcurrency: 10,
} as const;

/** Defaults of AnalystWorkgroup. */
export const ANALYST_WORKGROUP_DEFAULTS = {
  /** 1 TiB: a guard against runaway scan costs. */
  bytesScannedCutoffPerQuery: 1024 ** 4,
} as const;

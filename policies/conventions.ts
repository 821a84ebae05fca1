// Conventions shared by the governed-lake components and the policy pack that enforces them.
//
// This module has no imports and no side effects, so components, the CLI and tests can import the
// constants without loading @pulumi/policy or @pulumi/aws.

/** Tags every taggable lake resource carries. */
export const TAG_LAKE = "lake";
/** Value: the Pulumi stack name (the policy checks it against the stack in the resource URN). */
export const TAG_ENVIRONMENT = "environment";
export const TAG_MANAGED_BY = "managed-by";
export const MANAGED_BY_VALUE = "pulumi";
export const REQUIRED_TAG_KEYS: readonly string[] = [TAG_LAKE, TAG_ENVIRONMENT, TAG_MANAGED_BY];

/** Lake Formation LF-tag keys and the values the `pii` tag may take. */
export const LF_TAG_DOMAIN = "domain";
export const LF_TAG_PII = "pii";
export const LF_TAG_KEYS: readonly string[] = [LF_TAG_DOMAIN, LF_TAG_PII];
export const PII_VALUES: readonly string[] = ["true", "false"];

/** The Lake Formation pseudo-principal that hands governance back to plain IAM. Never granted. */
export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/** Glue job bookmarks are replaced by the shared per-table state table. */
export const JOB_BOOKMARK_ARG = "--job-bookmark-option";
export const JOB_BOOKMARK_DISABLE = "job-bookmark-disable";

/** Oldest Glue version the ingest jobs may run on (Spark 3.5, Iceberg support). */
export const MIN_GLUE_VERSION = "5.0";
/** Minimum workers for a Glue Spark job (one driver + one executor). */
export const MIN_GLUE_WORKERS = 2;
export const GLUE_ETL_COMMAND = "glueetl";

/** Characters that make an S3 include path a glob rather than an exact table path. */
export const S3_PATH_WILDCARD_CHARS: readonly string[] = ["*", "?", "[", "{"];
/** JDBC include paths (database/schema/table) also treat "%" as a wildcard. */
export const JDBC_PATH_WILDCARD_CHARS: readonly string[] = ["*", "?", "[", "{", "%"];

/**
 * Companion naming convention for S3 buckets: the per-bucket configuration resources
 * (BucketServerSideEncryptionConfiguration, BucketPublicAccessBlock, BucketVersioning, BucketPolicy,
 * BucketLifecycleConfiguration) are named `<bucket resource name><separator><suffix>` and share the
 * bucket's parent (or have the bucket as parent). The stack policy uses this only when it cannot
 * match a companion to its bucket by property dependency or by a known bucket name.
 */
export const COMPANION_NAME_SEPARATOR = "-";

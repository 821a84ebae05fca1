/**
 * LakeStorage: the lake's KMS key and its four buckets (raw zone, Iceberg warehouse, job
 * scripts and run manifests, Athena results), each versioned, SSE-KMS with a bucket key,
 * closed to the public, with lifecycle rules for what ages out. Bucket and key policies come
 * from applyAccessPolicies once the roles that may use the data exist (components/lakeAccessPolicies.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, type LakeTags, type PolicyStatement } from "./common";
import { LAKE_STORAGE_DEFAULTS } from "./defaults";
import { bucketPolicyStatements, keyPolicyStatements, type LakeDataAccess } from "./lakeAccessPolicies";
import type { LakeBucketRef, LakeBucketRole, LakeStorageRef } from "./references";

export type { LakeBucketRole };

export interface LakeStorageArgs {
  /** Tags on the key and every bucket (the policy pack requires `lake`, `environment`, `managed-by`). */
  readonly tags: LakeTags;
  /**
   * Days after which raw batches (`raw/` in the raw bucket) move to S3 Standard-IA.
   * @default 30 ({@link LAKE_STORAGE_DEFAULTS})
   */
  readonly rawInfrequentAccessAfterDays?: number;
  /**
   * Days after which raw batches expire.
   * @default 400 ({@link LAKE_STORAGE_DEFAULTS}: a year plus a margin for re-loads)
   */
  readonly rawExpireAfterDays?: number;
  /**
   * Days after which Athena query results expire.
   * @default 30 ({@link LAKE_STORAGE_DEFAULTS})
   */
  readonly athenaResultsExpireAfterDays?: number;
  /**
   * Days after which run manifests (`manifests/` in the scripts bucket) expire.
   * @default 90 ({@link LAKE_STORAGE_DEFAULTS})
   */
  readonly manifestExpireAfterDays?: number;
  /**
   * Days a noncurrent object version is kept (raw, warehouse and scripts buckets; Athena results keep theirs one day).
   * @default 30 ({@link LAKE_STORAGE_DEFAULTS})
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Let `pulumi destroy` delete non-empty buckets.
   * @default false ({@link LAKE_STORAGE_DEFAULTS}: data outlives the stack)
   */
  readonly forceDestroy?: boolean;
}

/** One bucket of the lake: the resource and its name and ARN (a {@link LakeBucketRef}). */
export interface LakeBucket extends LakeBucketRef {
  readonly bucket: aws.s3.Bucket;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

export class LakeStorage extends pulumi.ComponentResource implements LakeStorageRef {
  readonly key: aws.kms.Key;
  readonly keyArn: pulumi.Output<string>;
  readonly buckets: Readonly<Record<LakeBucketRole, LakeBucket>>;
  private accessApplied = false;

  private readonly resourceName: string;

  constructor(name: string, args: LakeStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:storage:LakeStorage", name, {}, opts);
    this.resourceName = name;
    const parent = { parent: this };

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${name}: encrypts the lake's buckets, state table, logs and job outputs`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        // The key policy is set by applyAccessPolicies (aws.kms.KeyPolicy): it names the roles
        // that use the key, which are created after the buckets their policies refer to.
        tags: args.tags,
      },
      parent,
    );
    this.keyArn = this.key.arn;

    const d = LAKE_STORAGE_DEFAULTS;
    const rawIa = args.rawInfrequentAccessAfterDays ?? d.rawInfrequentAccessAfterDays;
    const rawExpire = args.rawExpireAfterDays ?? d.rawExpireAfterDays;
    const noncurrent = args.noncurrentVersionDays ?? d.noncurrentVersionDays;
    const lifecycle: Record<LakeBucketRole, aws.types.input.s3.BucketLifecycleConfigurationRule[]> = {
      raw: [
        {
          id: "raw-batches-age-out",
          status: "Enabled",
          filter: { prefix: "raw/" },
          transitions: [{ days: rawIa, storageClass: "STANDARD_IA" }],
          expiration: { days: rawExpire },
          noncurrentVersionExpiration: { noncurrentDays: noncurrent },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      // Iceberg manages its own files (snapshot expiry); only old versions are cleaned here.
      warehouse: [
        {
          id: "old-versions",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: noncurrent },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      scripts: [
        {
          id: "old-manifests",
          status: "Enabled",
          filter: { prefix: "manifests/" },
          expiration: { days: args.manifestExpireAfterDays ?? d.manifestExpireAfterDays },
          noncurrentVersionExpiration: { noncurrentDays: noncurrent },
        },
      ],
      athena: [
        {
          id: "query-results",
          status: "Enabled",
          filter: {},
          expiration: { days: args.athenaResultsExpireAfterDays ?? d.athenaResultsExpireAfterDays },
          noncurrentVersionExpiration: { noncurrentDays: 1 },
        },
      ],
    };

    const make = (role: LakeBucketRole): LakeBucket => {
      const bucket = new aws.s3.Bucket(`${name}-${role}`, { forceDestroy: args.forceDestroy ?? d.forceDestroy, tags: args.tags }, parent);
      const child = { parent: bucket };
      new aws.s3.BucketPublicAccessBlock(
        `${name}-${role}-public-access`,
        { bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        child,
      );
      new aws.s3.BucketOwnershipControls(
        `${name}-${role}-ownership`,
        { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
        child,
      );
      new aws.s3.BucketVersioning(
        `${name}-${role}-versioning`,
        { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } },
        child,
      );
      new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-${role}-encryption`,
        {
          bucket: bucket.bucket,
          rules: [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true },
          ],
        },
        child,
      );
      new aws.s3.BucketLifecycleConfiguration(`${name}-${role}-lifecycle`, { bucket: bucket.bucket, rules: lifecycle[role] }, child);
      return { bucket, name: bucket.bucket, arn: bucket.arn };
    };
    this.buckets = { raw: make("raw"), warehouse: make("warehouse"), scripts: make("scripts"), athena: make("athena") };

    this.registerOutputs({
      keyArn: this.keyArn,
      rawBucket: this.buckets.raw.name,
      warehouseBucket: this.buckets.warehouse.name,
      scriptsBucket: this.buckets.scripts.name,
      athenaBucket: this.buckets.athena.name,
    });
  }

  /**
   * The bucket policies (TLS only; raw/ and warehouse/ objects only for the data roles; each query
   * result prefix only for its principal) and the key policy (administration by the account, data
   * use only by the named roles through the named services). Called once, after the roles exist;
   * an existing estate passes its own role ARNs.
   */
  applyAccessPolicies(access: LakeDataAccess): void {
    if (this.accessApplied) throw new Error(`LakeStorage ${this.resourceName}: applyAccessPolicies may be called once`);
    this.accessApplied = true;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    for (const role of Object.keys(this.buckets) as LakeBucketRole[]) {
      const { bucket, arn } = this.buckets[role];
      const statements: pulumi.Output<PolicyStatement[]> = bucketPolicyStatements(role, arn, access);
      new aws.s3.BucketPolicy(
        `${this.resourceName}-${role}-policy`,
        { bucket: bucket.bucket, policy: policyDocument(statements) },
        // The same resource as the former TLS-only policy: a new logical resource would be created
        // first, and deleting the old one would then remove the bucket's only policy.
        { parent: bucket, aliases: [{ name: `${this.resourceName}-${role}-tls-only` }] },
      );
    }
    new aws.kms.KeyPolicy(
      `${this.resourceName}-key-policy`,
      { keyId: this.key.id, policy: policyDocument(keyPolicyStatements(account, region, access)) },
      { parent: this.key },
    );
  }
}

/**
 * Existing resources by reference: what a component needs to know of a bucket, the lake's key or
 * the LF-tags, as names and ARNs. A component takes these rather than a sibling component, so it
 * works with an estate that already has its buckets, key or tags (pass plain strings) as well as
 * with its siblings (LakeStorage and GovernanceTags implement them; pass the instance or its outputs).
 */
import type * as pulumi from "@pulumi/pulumi";

/** The four buckets of a lake, by their job. */
export type LakeBucketRole = "raw" | "warehouse" | "scripts" | "athena";

/** An S3 bucket by reference. */
export interface LakeBucketRef {
  /** The bucket's name, e.g. `acme-prod-raw-1a2b3c` (no `s3://`). */
  readonly name: pulumi.Input<string>;
  /** The bucket's ARN, `arn:aws:s3:::<name>`. */
  readonly arn: pulumi.Input<string>;
}

/** Some of a lake's buckets by reference, by their job (`LakeBucketRefs<"raw" | "warehouse">`). */
export type LakeBucketRefs<R extends LakeBucketRole = LakeBucketRole> = { readonly [K in R]: LakeBucketRef };

/** A lake's storage by reference: its customer-managed KMS key and (some of) its buckets. */
export interface LakeStorageRef<R extends LakeBucketRole = LakeBucketRole> {
  /** ARN of the KMS key the buckets, state table, queues, topic and logs are encrypted with. */
  readonly keyArn: pulumi.Input<string>;
  /** The buckets the component uses. */
  readonly buckets: LakeBucketRefs<R>;
}

/**
 * The two LF-tag keys access is granted by, by reference. Pass the tags' outputs (GovernanceTags
 * does) so grants and tag assignments wait for the tags to exist.
 */
export interface LfTagKeysRef {
  /** Key of the tag whose values are the domains (`domain`, or `<prefix>domain`). */
  readonly domainKey: pulumi.Input<string>;
  /** Key of the tag with the values "true" and "false" (`pii`, or `<prefix>pii`). */
  readonly piiKey: pulumi.Input<string>;
}

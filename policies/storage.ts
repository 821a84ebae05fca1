// Lake storage: S3 buckets and their companion configuration resources, and the KMS keys that
// encrypt them.

import * as aws from "@pulumi/aws";
import type { Resource } from "@pulumi/pulumi";
import {
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { COMPANION_NAME_SEPARATOR } from "./conventions";
import {
  asStringList,
  isRecord,
  label,
  parsePolicyDocument,
  type PolicyStatement,
  presence,
  principalIsEveryone,
  propertyDependencyUrns,
  read,
  show,
  typeToken,
  validateResourceOfTypes,
} from "./util";

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3SseKmsWithBucketKey: ResourceValidationPolicy = {
  name: "s3-bucket-sse-kms-with-bucket-key",
  description:
    'Lake buckets are encrypted by default with a customer-managed KMS key (sseAlgorithm "aws:kms" and a ' +
    "kmsMasterKeyId) and use S3 Bucket Keys (bucketKeyEnabled) to keep KMS request costs flat.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (sse, args, report) => {
    const who = label(args);
    const rules = sse.rules ?? [];
    if (rules.length === 0) {
      report(`${who}: rules is empty; add a rule with applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms".`);
      return;
    }
    rules.forEach((rule, i) => {
      const at = `rules[${i}]`;
      const byDefault = rule.applyServerSideEncryptionByDefault;
      if (byDefault === undefined) {
        report(`${who}: ${at}.applyServerSideEncryptionByDefault is unset; it must use sseAlgorithm "aws:kms".`);
      } else {
        if (byDefault.sseAlgorithm !== "aws:kms") {
          report(`${who}: ${at}.applyServerSideEncryptionByDefault.sseAlgorithm is ${show(byDefault.sseAlgorithm)}; it must be "aws:kms".`);
        }
        if (presence(() => byDefault.kmsMasterKeyId) === "absent") {
          report(
            `${who}: ${at}.applyServerSideEncryptionByDefault.kmsMasterKeyId is unset; name the lake's customer-managed KMS key (the AWS-managed aws/s3 key cannot be governed).`,
          );
        }
      }
      if (rule.bucketKeyEnabled !== true) {
        report(`${who}: ${at}.bucketKeyEnabled is ${show(rule.bucketKeyEnabled)}; it must be true.`);
      }
    });
  }),
};

export const s3PublicAccessBlocked: ResourceValidationPolicy = {
  name: "s3-public-access-blocked",
  description:
    "Every BucketPublicAccessBlock sets blockPublicAcls, blockPublicPolicy, ignorePublicAcls and " +
    "restrictPublicBuckets to true: lake data is reached through Lake Formation, never publicly.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.s3.BucketPublicAccessBlock, (pab, args, report) => {
    for (const flag of PUBLIC_ACCESS_FLAGS) {
      if (pab[flag] !== true) {
        report(`${label(args)}: ${flag} is ${show(pab[flag])}; it must be true.`);
      }
    }
  }),
};

function conditionDeniesInsecureTransport(condition: unknown): boolean {
  if (!isRecord(condition)) {
    return false;
  }
  for (const operator of Object.keys(condition)) {
    if (operator !== "Bool" && operator !== "BoolIfExists") {
      continue;
    }
    const block = condition[operator];
    if (!isRecord(block)) {
      continue;
    }
    for (const key of Object.keys(block)) {
      if (key.toLowerCase() !== "aws:securetransport") {
        continue;
      }
      const v = block[key];
      const values = Array.isArray(v) ? v : [v];
      if (values.some((x) => x === false || (typeof x === "string" && x.toLowerCase() === "false"))) {
        return true;
      }
    }
  }
  return false;
}

function isTlsDeny(st: PolicyStatement): boolean {
  const actions = asStringList(st.Action);
  return (
    st.Effect === "Deny" &&
    principalIsEveryone(st.Principal) &&
    (actions.indexOf("s3:*") >= 0 || actions.indexOf("*") >= 0) &&
    conditionDeniesInsecureTransport(st.Condition)
  );
}

export const s3TlsOnly: ResourceValidationPolicy = {
  name: "s3-tls-only",
  description:
    "Every BucketPolicy denies all S3 actions (s3:*) to every principal when aws:SecureTransport is false, on " +
    'the bucket ARN and on its objects (<bucket ARN>/*), and no statement allows Principal "*".',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.s3.BucketPolicy, (bp, args, report) => {
    const who = label(args);
    const parsed = parsePolicyDocument(bp.policy);
    if (!parsed.ok) {
      report(`${who}: policy ${parsed.error}.`);
      return;
    }
    parsed.statements.forEach((st, i) => {
      if (st.Effect === "Allow" && principalIsEveryone(st.Principal)) {
        const sid = typeof st.Sid === "string" ? ` (Sid ${show(st.Sid)})` : "";
        report(`${who}: policy Statement[${i}]${sid} allows Principal "*"; grant named principals only.`);
      }
    });
    const tlsDenies = parsed.statements.filter(isTlsDeny);
    if (tlsDenies.length === 0) {
      report(
        `${who}: policy has no Deny statement for Principal "*" and Action "s3:*" with Condition ` +
          `{"Bool": {"aws:SecureTransport": "false"}}.`,
      );
      return;
    }
    const resources: string[] = [];
    for (const st of tlsDenies) {
      resources.push(...asStringList(st.Resource));
    }
    const bucketName = read(() => bp.bucket);
    const name =
      bucketName.known && typeof bucketName.value === "string" && !bucketName.value.startsWith("arn:") ? bucketName.value : undefined;
    const bucketArn =
      name !== undefined
        ? (r: string) => new RegExp(`^arn:[^:]+:s3:::${escapeRegExp(name)}$`).test(r)
        : (r: string) => /^arn:[^:]+:s3:::[^/]+$/.test(r);
    const objectArn =
      name !== undefined
        ? (r: string) => new RegExp(`^arn:[^:]+:s3:::${escapeRegExp(name)}/\\*$`).test(r)
        : (r: string) => /^arn:[^:]+:s3:::[^/]+\/\*$/.test(r);
    const subject = name !== undefined ? `"${name}"` : "the bucket";
    if (!resources.some(bucketArn)) {
      report(
        `${who}: policy's aws:SecureTransport Deny statement Resource ${show(resources)} does not cover the bucket ARN of ${subject} (arn:aws:s3:::<bucket>).`,
      );
    }
    if (!resources.some(objectArn)) {
      report(
        `${who}: policy's aws:SecureTransport Deny statement Resource ${show(resources)} does not cover the objects of ${subject} (arn:aws:s3:::<bucket>/*).`,
      );
    }
  }),
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description: "Every KMS key of the lake has automatic key rotation enabled (enableKeyRotation: true).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) => {
    if (key.enableKeyRotation !== true) {
      report(`${label(args)}: enableKeyRotation is ${show(key.enableKeyRotation)}; it must be true.`);
    }
  }),
};

// Inline bucket settings that v7 deprecates in favour of separate resources. The lake sets them only
// through the separate resources, which the policies above (and the stack policy below) check.
const INLINE_BUCKET_ARGS = [
  ["acl", "aws.s3.BucketAcl"],
  ["grants", "aws.s3.BucketAcl"],
  ["policy", "aws.s3.BucketPolicy"],
  ["serverSideEncryptionConfiguration", "aws.s3.BucketServerSideEncryptionConfiguration"],
  ["versioning", "aws.s3.BucketVersioning"],
  ["lifecycleRules", "aws.s3.BucketLifecycleConfiguration"],
  ["website", "aws.s3.BucketWebsiteConfiguration"],
  ["corsRules", "aws.s3.BucketCorsConfiguration"],
  ["logging", "aws.s3.BucketLogging"],
  ["replicationConfiguration", "aws.s3.BucketReplicationConfig"],
  ["objectLockConfiguration", "aws.s3.BucketObjectLockConfiguration"],
  ["accelerationStatus", "aws.s3.BucketAccelerateConfiguration"],
  ["requestPayer", "aws.s3.BucketRequestPaymentConfiguration"],
] as const;

function deprecatedAlias<TResource extends Resource, TArgs>(
  cls: Parameters<typeof validateResourceOfType<TResource, TArgs>>[0],
  replacement: string,
): ResourceValidation {
  return validateResourceOfType(cls, (_props, args, report) => {
    report(`${label(args)}: ${args.type} is a deprecated alias that the lake's S3 policies do not check; use ${replacement} instead.`);
  });
}

export const s3NoInlineOrAliasedConfig: ResourceValidationPolicy = {
  name: "s3-bucket-config-as-separate-resources",
  description:
    "Buckets are configured only through the current separate resources (BucketServerSideEncryptionConfiguration, " +
    "BucketPublicAccessBlock, BucketVersioning, BucketPolicy, BucketLifecycleConfiguration): no deprecated inline " +
    "aws.s3.Bucket arguments and no deprecated *V2 aliases, which would bypass the S3 policies.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(aws.s3.Bucket, (bucket, args, report) => {
      for (const [field, replacement] of INLINE_BUCKET_ARGS) {
        if (presence(() => bucket[field]) !== "absent") {
          report(
            `${label(args)}: ${field} is set inline; it is deprecated in aws v7 and hidden from the lake's S3 policies. Use ${replacement}.`,
          );
        }
      }
    }),
    deprecatedAlias(aws.s3.BucketV2, "aws.s3.Bucket"),
    deprecatedAlias(aws.s3.BucketServerSideEncryptionConfigurationV2, "aws.s3.BucketServerSideEncryptionConfiguration"),
    deprecatedAlias(aws.s3.BucketVersioningV2, "aws.s3.BucketVersioning"),
    deprecatedAlias(aws.s3.BucketLifecycleConfigurationV2, "aws.s3.BucketLifecycleConfiguration"),
    deprecatedAlias(aws.s3.BucketAclV2, "aws.s3.BucketAcl"),
    deprecatedAlias(aws.s3.BucketLoggingV2, "aws.s3.BucketLogging"),
    deprecatedAlias(aws.s3.BucketCorsConfigurationV2, "aws.s3.BucketCorsConfiguration"),
    deprecatedAlias(aws.s3.BucketWebsiteConfigurationV2, "aws.s3.BucketWebsiteConfiguration"),
    deprecatedAlias(aws.s3.BucketAccelerateConfigurationV2, "aws.s3.BucketAccelerateConfiguration"),
    deprecatedAlias(aws.s3.BucketObjectLockConfigurationV2, "aws.s3.BucketObjectLockConfiguration"),
    deprecatedAlias(aws.s3.BucketRequestPaymentConfigurationV2, "aws.s3.BucketRequestPaymentConfiguration"),
  ),
};

// ----- Stack policy: every bucket has its four companions -----------------------------------------

type Companion = "encryption" | "publicAccessBlock" | "versioning" | "policy";

const COMPANION_TYPES: Record<Companion, string> = {
  encryption: typeToken(aws.s3.BucketServerSideEncryptionConfiguration),
  publicAccessBlock: typeToken(aws.s3.BucketPublicAccessBlock),
  versioning: typeToken(aws.s3.BucketVersioning),
  policy: typeToken(aws.s3.BucketPolicy),
};

function knownString(get: () => unknown): string | undefined {
  const r = read(get);
  return r.known && typeof r.value === "string" && r.value !== "" ? r.value : undefined;
}

function sameParent(a: PolicyResource, b: PolicyResource): boolean {
  return (a.parent?.urn ?? a.opts.parent) === (b.parent?.urn ?? b.opts.parent);
}

/**
 * Finds the bucket a companion resource configures. In order:
 *  1. the companion's `bucket` property depends on exactly one of the buckets (engine-recorded
 *     property dependency: works in previews, where names and ids may be unknown);
 *  2. the companion's known `bucket` value equals a bucket's known `bucket` name (or `id`);
 *  3. the companion's parent is the bucket;
 *  4. naming convention: the companion is named `<bucket name>-<suffix>` and shares the bucket's parent
 *     (longest bucket name wins, so "lake-raw-archive-pab" belongs to "lake-raw-archive").
 */
export function findBucketFor(companion: PolicyResource, buckets: PolicyResource[]): PolicyResource | undefined {
  const deps = propertyDependencyUrns(companion, "bucket");
  const byDependency = buckets.filter((b) => deps.has(b.urn));
  if (byDependency.length === 1) {
    return byDependency[0];
  }
  const name = knownString(() => companion.props["bucket"]);
  if (name !== undefined) {
    const byName = buckets.filter(
      (b) => knownString(() => b.asType(aws.s3.Bucket)?.bucket) === name || knownString(() => b.props["id"]) === name,
    );
    if (byName.length === 1) {
      return byName[0];
    }
  }
  const parentUrn = companion.parent?.urn ?? companion.opts.parent;
  const byParent = buckets.find((b) => b.urn === parentUrn);
  if (byParent !== undefined) {
    return byParent;
  }
  const byConvention = buckets
    .filter((b) => companion.name.startsWith(b.name + COMPANION_NAME_SEPARATOR) && sameParent(b, companion))
    .sort((a, b) => b.name.length - a.name.length);
  return byConvention[0];
}

function checkCompanions(bucket: PolicyResource, mine: Record<Companion, PolicyResource[]>, report: ReportViolation): void {
  const who = label(bucket);
  const missing = (what: string, type: string) =>
    report(
      `${who} has no ${what} (${type}). Companions are matched by their bucket property, ` +
        `or by the name "${bucket.name}${COMPANION_NAME_SEPARATOR}<suffix>" under the same parent.`,
      bucket.urn,
    );

  if (mine.encryption.length === 0) {
    missing("server-side encryption configuration", "aws:s3:BucketServerSideEncryptionConfiguration");
  }

  if (mine.publicAccessBlock.length === 0) {
    missing("public access block", "aws:s3:BucketPublicAccessBlock");
  } else {
    const problems: string[] = [];
    const ok = mine.publicAccessBlock.some((pab) => {
      const typed = pab.asType(aws.s3.BucketPublicAccessBlock);
      const off = PUBLIC_ACCESS_FLAGS.filter((f) => {
        const v = read(() => typed?.[f]);
        return v.known && v.value !== true;
      });
      if (off.length > 0) {
        problems.push(`${label(pab)}: ${off.join(", ")} not true`);
      }
      return off.length === 0;
    });
    if (!ok) {
      report(`${who}: its public access block does not block everything (${problems.join("; ")}).`, bucket.urn);
    }
  }

  if (mine.versioning.length === 0) {
    missing("versioning configuration", "aws:s3:BucketVersioning");
  } else {
    const statuses: string[] = [];
    const ok = mine.versioning.some((v) => {
      const status = read(() => v.asType(aws.s3.BucketVersioning)?.versioningConfiguration.status);
      if (!status.known) {
        return true;
      }
      statuses.push(`${label(v)}: versioningConfiguration.status ${show(status.value)}`);
      return status.value === "Enabled";
    });
    if (!ok) {
      report(`${who}: versioning is not Enabled (${statuses.join("; ")}).`, bucket.urn);
    }
  }

  if (mine.policy.length === 0) {
    missing("bucket policy", "aws:s3:BucketPolicy");
  }
}

export const s3EveryBucketGoverned: StackValidationPolicy = {
  name: "s3-every-bucket-encrypted-private-versioned",
  description:
    "Every aws.s3.Bucket in the stack has a BucketServerSideEncryptionConfiguration, a BucketPublicAccessBlock " +
    "with all four flags true, a BucketVersioning with status Enabled and a BucketPolicy. A companion belongs " +
    "to a bucket when its bucket property depends on (or equals the name of) the bucket, when the bucket is its " +
    "parent, or by the naming convention <bucket>-<suffix> under the same parent.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const buckets = args.resources.filter((r) => r.isType(aws.s3.Bucket));
    if (buckets.length === 0) {
      return args.notApplicable(`No resources of type '${typeToken(aws.s3.Bucket)}' in the stack`);
    }
    const byBucket = new Map<string, Record<Companion, PolicyResource[]>>();
    for (const b of buckets) {
      byBucket.set(b.urn, { encryption: [], publicAccessBlock: [], versioning: [], policy: [] });
    }
    const kinds = Object.keys(COMPANION_TYPES) as Companion[];
    for (const r of args.resources) {
      const kind = kinds.find((k) => COMPANION_TYPES[k] === r.type);
      if (kind === undefined) {
        continue;
      }
      const bucket = findBucketFor(r, buckets);
      if (bucket !== undefined) {
        (byBucket.get(bucket.urn) as Record<Companion, PolicyResource[]>)[kind].push(r);
      }
    }
    for (const b of buckets) {
      checkCompanions(b, byBucket.get(b.urn) as Record<Companion, PolicyResource[]>, report);
    }
  },
};

export const storagePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  s3SseKmsWithBucketKey,
  s3EveryBucketGoverned,
  s3PublicAccessBlocked,
  s3TlsOnly,
  kmsKeyRotation,
  s3NoInlineOrAliasedConfig,
];

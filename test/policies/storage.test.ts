import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import {
  kmsKeyRotation,
  s3EveryBucketGoverned,
  s3NoInlineOrAliasedConfig,
  s3PublicAccessBlocked,
  s3SseKmsWithBucketKey,
  s3TlsOnly,
} from "../../policies/storage";
import { compliantLake, fx, JOB_ROLE_ARN, RAW_BUCKET, withProps } from "./fixtures";
import { resourceViolations, type ResourceSpec, stackViolations, UNKNOWN, validateResource, validateStack } from "./harness";

describe("s3-bucket-sse-kms-with-bucket-key", () => {
  const p = s3SseKmsWithBucketKey;

  it("passes SSE-KMS with a key and bucket keys", async () => {
    assert.deepEqual(await resourceViolations(p, fx.sse()), []);
  });

  it("accepts a key ARN that is unknown during preview", async () => {
    const spec = withProps(fx.sse(), {
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN.string }, bucketKeyEnabled: true }],
    });
    const result = await validateResource(p, spec);
    assert.deepEqual(result.diagnostics, []);
  });

  it("rejects AES256", async () => {
    const spec = withProps(fx.sse(), {
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
    });
    const v = await resourceViolations(p, spec);
    assert.equal(v.length, 2);
    assert.match(
      v[0],
      /aws:s3:BucketServerSideEncryptionConfiguration "lake-raw-sse": rules\[0\]\.applyServerSideEncryptionByDefault\.sseAlgorithm is "AES256"/,
    );
    assert.match(v[1], /kmsMasterKeyId is unset/);
  });

  it("rejects bucketKeyEnabled false or missing", async () => {
    const spec = withProps(fx.sse(), {
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/lake" } }],
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:s3:BucketServerSideEncryptionConfiguration "lake-raw-sse": rules[0].bucketKeyEnabled is unset; it must be true.',
    ]);
  });

  it("rejects a rule without a default and an empty rule list", async () => {
    const noDefault = await resourceViolations(p, withProps(fx.sse(), { rules: [{ bucketKeyEnabled: true }] }));
    assert.match(noDefault.join("\n"), /rules\[0\]\.applyServerSideEncryptionByDefault is unset/);
    const empty = await resourceViolations(p, withProps(fx.sse(), { rules: [] }));
    assert.match(empty.join("\n"), /rules is empty/);
  });

  it("does not apply to other types", async () => {
    const result = await validateResource(p, fx.bucket());
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.notApplicable[0]?.policyName, p.name);
  });
});

describe("s3-public-access-blocked", () => {
  const p = s3PublicAccessBlocked;

  it("passes when all four flags are true", async () => {
    assert.deepEqual(await resourceViolations(p, fx.publicAccessBlock()), []);
  });

  for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
    it(`rejects ${flag} false`, async () => {
      const v = await resourceViolations(p, withProps(fx.publicAccessBlock(), { [flag]: false }));
      assert.deepEqual(v, [`aws:s3:BucketPublicAccessBlock "lake-raw-pab": ${flag} is false; it must be true.`]);
    });
  }

  it("rejects flags left unset", async () => {
    const v = await resourceViolations(p, { ...fx.publicAccessBlock(), props: { bucket: RAW_BUCKET } });
    assert.equal(v.length, 4);
    assert.match(v.join("\n"), /restrictPublicBuckets is unset/);
  });
});

describe("s3-tls-only", () => {
  const p = s3TlsOnly;
  const policyOf = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
  const tlsDeny = (resources: unknown) => ({
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: ["s3:*"],
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": false } },
  });

  it("passes a TLS-only policy (JSON string)", async () => {
    assert.deepEqual(await resourceViolations(p, fx.bucketPolicy()), []);
  });

  it("passes a policy given as a document object", async () => {
    const doc = { Version: "2012-10-17", Statement: [tlsDeny([`arn:aws:s3:::${RAW_BUCKET}`, `arn:aws:s3:::${RAW_BUCKET}/*`])] };
    assert.deepEqual(await resourceViolations(p, withProps(fx.bucketPolicy(), { policy: doc })), []);
  });

  it("rejects a policy without the aws:SecureTransport deny", async () => {
    const spec = withProps(fx.bucketPolicy(), {
      policy: policyOf([
        { Effect: "Allow", Principal: { AWS: JOB_ROLE_ARN }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${RAW_BUCKET}/*` },
      ]),
    });
    const v = await resourceViolations(p, spec);
    assert.equal(v.length, 1);
    assert.match(v[0], /^aws:s3:BucketPolicy "lake-raw-policy": policy has no Deny statement .*aws:SecureTransport/);
  });

  it("rejects a deny that does not cover the objects", async () => {
    const v = await resourceViolations(p, withProps(fx.bucketPolicy(), { policy: policyOf([tlsDeny(`arn:aws:s3:::${RAW_BUCKET}`)]) }));
    assert.equal(v.length, 1);
    assert.match(v[0], /Resource .* does not cover the objects of "lake-raw-dev-a1b2c3"/);
  });

  it("rejects a deny on another bucket", async () => {
    const v = await resourceViolations(
      p,
      withProps(fx.bucketPolicy(), { policy: policyOf([tlsDeny(["arn:aws:s3:::other", "arn:aws:s3:::other/*"])]) }),
    );
    assert.equal(v.length, 2);
    assert.match(v[0], /does not cover the bucket ARN of "lake-raw-dev-a1b2c3"/);
  });

  it("rejects a statement allowing Principal *", async () => {
    const spec = withProps(fx.bucketPolicy(), {
      policy: policyOf([
        tlsDeny([`arn:aws:s3:::${RAW_BUCKET}`, `arn:aws:s3:::${RAW_BUCKET}/*`]),
        { Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${RAW_BUCKET}/*` },
      ]),
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:s3:BucketPolicy "lake-raw-policy": policy Statement[1] (Sid "Public") allows Principal "*"; grant named principals only.',
    ]);
  });

  it("rejects a policy that is not JSON", async () => {
    const v = await resourceViolations(p, withProps(fx.bucketPolicy(), { policy: "{not json" }));
    assert.match(v[0], /policy is not valid JSON/);
  });

  it("cannot run during preview when the policy JSON is computed (advisory, like the runtime)", async () => {
    const result = await validateResource(p, withProps(fx.bucketPolicy(), { policy: UNKNOWN.string }));
    assert.equal(result.diagnostics.length, 1);
    assert.equal(result.diagnostics[0].enforcementLevel, "advisory");
    assert.equal(result.diagnostics[0].unknownDuringPreview, true);
    assert.match(result.diagnostics[0].message, /can't run policy 's3-tls-only' .* during preview: string value at \.policy/);
  });
});

describe("kms-key-rotation", () => {
  const p = kmsKeyRotation;

  it("passes a rotating key", async () => {
    assert.deepEqual(await resourceViolations(p, fx.kmsKey()), []);
  });

  it("rejects a key without rotation", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.kmsKey(), { enableKeyRotation: undefined })), [
      'aws:kms:Key "lake-key": enableKeyRotation is unset; it must be true.',
    ]);
    assert.match((await resourceViolations(p, withProps(fx.kmsKey(), { enableKeyRotation: false })))[0], /enableKeyRotation is false/);
  });
});

describe("s3-bucket-config-as-separate-resources", () => {
  const p = s3NoInlineOrAliasedConfig;

  it("passes a bucket configured by separate resources", async () => {
    assert.deepEqual(await resourceViolations(p, fx.bucket()), []);
  });

  it("rejects deprecated inline bucket arguments", async () => {
    const spec = withProps(fx.bucket(), { versioning: { enabled: true }, acl: "private" });
    const v = await resourceViolations(p, spec);
    assert.equal(v.length, 2);
    assert.match(v[0], /aws:s3:Bucket "lake-raw": acl is set inline/);
    assert.match(v[1], /versioning is set inline; .* Use aws\.s3\.BucketVersioning/);
  });

  it("rejects the deprecated V2 aliases", async () => {
    const spec: ResourceSpec = {
      type: aws.s3.BucketVersioningV2,
      name: "lake-raw-versioning",
      props: { bucket: RAW_BUCKET, versioningConfiguration: { status: "Enabled" } },
    };
    const v = await resourceViolations(p, spec);
    assert.equal(v.length, 1);
    assert.match(v[0], /aws:s3\/bucketVersioningV2:BucketVersioningV2 is a deprecated alias .* use aws\.s3\.BucketVersioning/);
  });

  it("is not applicable to other types", async () => {
    const result = await validateResource(p, fx.kmsKey());
    assert.deepEqual(result.diagnostics, []);
    assert.match(result.notApplicable[0]?.reason ?? "", /aws:s3\/bucket:Bucket/);
  });
});

describe("s3-every-bucket-encrypted-private-versioned (stack)", () => {
  const p = s3EveryBucketGoverned;
  const without = (lake: ResourceSpec[], name: string) => lake.filter((r) => r.name !== name);
  const replace = (lake: ResourceSpec[], spec: ResourceSpec) => lake.map((r) => (r.name === spec.name ? spec : r));

  it("passes the compliant lake", async () => {
    assert.deepEqual(await stackViolations(p, compliantLake()), []);
  });

  it("reports each missing companion on the bucket", async () => {
    for (const [name, type] of [
      ["lake-raw-sse", "BucketServerSideEncryptionConfiguration"],
      ["lake-raw-pab", "BucketPublicAccessBlock"],
      ["lake-raw-versioning", "BucketVersioning"],
      ["lake-raw-policy", "BucketPolicy"],
    ]) {
      const result = await validateStack(p, without(compliantLake(), name));
      assert.equal(result.diagnostics.length, 1, name);
      assert.match(result.diagnostics[0].violation, new RegExp(`^aws:s3:Bucket "lake-raw" has no .*\\(aws:s3:${type}\\)`));
      assert.match(result.diagnostics[0].urn ?? "", /aws:s3\/bucket:Bucket::lake-raw$/);
    }
  });

  it("reports a public access block that leaves a flag off", async () => {
    const v = await stackViolations(p, replace(compliantLake(), withProps(fx.publicAccessBlock(), { restrictPublicBuckets: false })));
    assert.deepEqual(v, [
      'aws:s3:Bucket "lake-raw": its public access block does not block everything (aws:s3:BucketPublicAccessBlock "lake-raw-pab": restrictPublicBuckets not true).',
    ]);
  });

  it("reports versioning that is not Enabled", async () => {
    const v = await stackViolations(
      p,
      replace(compliantLake(), withProps(fx.versioning(), { versioningConfiguration: { status: "Suspended" } })),
    );
    assert.equal(v.length, 1);
    assert.match(v[0], /versioning is not Enabled .*versioningConfiguration\.status "Suspended"/);
  });

  it("matches companions by property dependency when names are unknown (preview)", async () => {
    const unknownName = (s: ResourceSpec): ResourceSpec => ({
      ...withProps(s, { bucket: UNKNOWN.string }),
      name: `${s.name}-x`.replace("lake-raw-", "companion-"), // defeat the naming convention
      propertyDependencies: { bucket: ["lake-raw"] },
    });
    const lake = [
      fx.storageComponent(),
      withProps(fx.bucket(), { bucket: UNKNOWN.string }),
      unknownName(fx.sse()),
      unknownName(fx.publicAccessBlock()),
      unknownName(fx.versioning()),
      unknownName(fx.bucketPolicy()),
    ];
    const result = await validateStack(p, lake);
    assert.deepEqual(result.diagnostics, []);
  });

  it("matches companions by the <bucket>-<suffix> naming convention, longest bucket name first", async () => {
    const archive = "lake-raw-archive-dev-a1b2c3";
    const unknownBucket = (s: ResourceSpec): ResourceSpec => withProps(s, { bucket: UNKNOWN.string });
    const lake = [
      fx.storageComponent(),
      unknownBucket(fx.bucket()),
      unknownBucket(fx.bucket("lake-raw-archive", archive)),
      ...[fx.sse(), fx.versioning(), fx.bucketPolicy()].map(unknownBucket),
      ...[
        fx.sse("lake-raw-archive-sse", archive),
        fx.publicAccessBlock("lake-raw-archive-pab", archive),
        fx.versioning("lake-raw-archive-versioning", archive),
        fx.bucketPolicy("lake-raw-archive-policy", archive),
      ].map(unknownBucket),
    ];
    const v = await stackViolations(p, lake);
    assert.equal(v.length, 1, v.join("\n"));
    assert.match(v[0], /^aws:s3:Bucket "lake-raw" has no public access block/);
  });

  it("matches companions by known bucket name regardless of their resource names", async () => {
    const renamed = compliantLake().map((r) =>
      r.name?.startsWith("lake-raw-") ? { ...r, name: r.name.replace("lake-raw-", "x-"), parent: undefined } : r,
    );
    assert.deepEqual(await stackViolations(p, renamed), []);
  });

  it("is not applicable to a stack without buckets", async () => {
    const result = await validateStack(p, [fx.kmsKey()]);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.notApplicable.length, 1);
  });
});

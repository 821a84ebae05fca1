/**
 * LakeStorage alone, under Pulumi mocks (pulumi.runtime.setMocks): the key and four buckets with
 * their companions, the defaults from LAKE_STORAGE_DEFAULTS, and the bucket and key policies
 * applyAccessPolicies sets for pretend existing roles (plain ARNs).
 */
import assert from "node:assert/strict";
import { LAKE_STORAGE_DEFAULTS } from "../../components/defaults";
import { LakeStorage } from "../../components/lakeStorage";
import { ACCOUNT_ID, byName, EXISTING, inventory, only, parseJson, REGION, runComponent, TAGS, type ComponentRun } from "./support";

type Dict = Record<string, unknown>;
interface Statement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Dict;
}
const TYPE = "lake:storage:LakeStorage";
const ROLES = ["raw", "warehouse", "scripts", "athena"] as const;
const DATA_ROLE = EXISTING.role("estate-data-access");
const INGEST_ROLE = EXISTING.role("estate-ingest");
const ANALYST = EXISTING.role("estate-analyst");
const COORDINATOR = EXISTING.role("estate-coordinator");
const RULE_ARN = `arn:aws:events:${REGION}:${ACCOUNT_ID}:rule/estate-job-state`;

function statements(resource: { inputs: Dict }): Statement[] {
  return parseJson<{ Statement: Statement[] }>(resource.inputs.policy).Statement;
}

describe("LakeStorage alone (Pulumi mocks)", function () {
  this.timeout(60_000);
  let defaults: ComponentRun<LakeStorage>;
  let custom: ComponentRun<LakeStorage>;

  before(async () => {
    defaults = await runComponent(TYPE, () => {
      const storage = new LakeStorage("estate", { tags: TAGS });
      storage.applyAccessPolicies({
        dataRoleArns: [DATA_ROLE, INGEST_ROLE],
        queryResults: [{ prefix: "results/analyst/", principalArn: ANALYST }],
        keyUsers: { s3: [DATA_ROLE, INGEST_ROLE, COORDINATOR], dynamodb: [COORDINATOR], lambda: [COORDINATOR] },
        deadLetterRuleArns: [RULE_ARN],
      });
      return storage;
    });
    custom = await runComponent(
      TYPE,
      () =>
        new LakeStorage("estate", {
          tags: TAGS,
          rawInfrequentAccessAfterDays: 7,
          rawExpireAfterDays: 100,
          athenaResultsExpireAfterDays: 3,
          manifestExpireAfterDays: 14,
          noncurrentVersionDays: 5,
          forceDestroy: true,
        }),
    );
  });

  it("creates one key and four buckets, each with public access block, ownership, versioning, encryption, lifecycle and policy", () => {
    assert.deepEqual(inventory(defaults), {
      "aws:kms/key:Key": 1,
      "aws:kms/keyPolicy:KeyPolicy": 1,
      "aws:s3/bucket:Bucket": 4,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 4,
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 4,
      "aws:s3/bucketVersioning:BucketVersioning": 4,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 4,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 4,
      "aws:s3/bucketPolicy:BucketPolicy": 4,
    });
    // Without applyAccessPolicies: no policies yet.
    assert.equal(custom.children.filter((r) => r.type.endsWith("Policy")).length, 0);
  });

  it("registers the key ARN and the four bucket names as outputs", () => {
    const buckets = byName(defaults, "aws:s3/bucket:Bucket");
    assert.deepEqual(defaults.outputs, {
      keyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:estate-key-x1`,
      rawBucket: "estate-raw-bucket-x1",
      warehouseBucket: "estate-warehouse-bucket-x1",
      scriptsBucket: "estate-scripts-bucket-x1",
      athenaBucket: "estate-athena-bucket-x1",
    });
    assert.deepEqual([...buckets.keys()].sort(), ROLES.map((r) => `estate-${r}`).sort());
  });

  it("rotates the key, encrypts every bucket with it (SSE-KMS, bucket key), blocks public access and enforces ownership", () => {
    const key = only(defaults, "aws:kms/key:Key").inputs;
    assert.equal(key.enableKeyRotation, true);
    assert.equal(key.deletionWindowInDays, 30);
    const keyArn = defaults.outputs.keyArn;
    for (const role of ROLES) {
      const enc = byName(defaults, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").get(
        `estate-${role}-encryption`,
      );
      assert.deepEqual(enc?.inputs.rules, [
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true },
      ]);
      const block = byName(defaults, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").get(`estate-${role}-public-access`);
      assert.deepEqual(
        { ...block?.inputs, bucket: undefined },
        { bucket: undefined, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      );
      const ownership = byName(defaults, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").get(`estate-${role}-ownership`);
      assert.deepEqual(ownership?.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
      const versioning = byName(defaults, "aws:s3/bucketVersioning:BucketVersioning").get(`estate-${role}-versioning`);
      assert.deepEqual(versioning?.inputs.versioningConfiguration, { status: "Enabled" });
    }
  });

  it("applies LAKE_STORAGE_DEFAULTS when nothing is set, and the caller's values otherwise", () => {
    const d = LAKE_STORAGE_DEFAULTS;
    const rules = (run: ComponentRun<LakeStorage>, role: string): Dict[] =>
      byName(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").get(`estate-${role}-lifecycle`)?.inputs
        .rules as Dict[];
    const expected = (v: {
      ia: number;
      expire: number;
      athena: number;
      manifests: number;
      noncurrent: number;
    }): Record<string, Dict[]> => ({
      raw: [
        {
          id: "raw-batches-age-out",
          status: "Enabled",
          filter: { prefix: "raw/" },
          transitions: [{ days: v.ia, storageClass: "STANDARD_IA" }],
          expiration: { days: v.expire },
          noncurrentVersionExpiration: { noncurrentDays: v.noncurrent },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      warehouse: [
        {
          id: "old-versions",
          status: "Enabled",
          filter: {},
          noncurrentVersionExpiration: { noncurrentDays: v.noncurrent },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      scripts: [
        {
          id: "old-manifests",
          status: "Enabled",
          filter: { prefix: "manifests/" },
          expiration: { days: v.manifests },
          noncurrentVersionExpiration: { noncurrentDays: v.noncurrent },
        },
      ],
      athena: [
        {
          id: "query-results",
          status: "Enabled",
          filter: {},
          expiration: { days: v.athena },
          noncurrentVersionExpiration: { noncurrentDays: 1 },
        },
      ],
    });
    const want = expected({
      ia: d.rawInfrequentAccessAfterDays,
      expire: d.rawExpireAfterDays,
      athena: d.athenaResultsExpireAfterDays,
      manifests: d.manifestExpireAfterDays,
      noncurrent: d.noncurrentVersionDays,
    });
    const wantCustom = expected({ ia: 7, expire: 100, athena: 3, manifests: 14, noncurrent: 5 });
    for (const role of ROLES) {
      assert.deepEqual(rules(defaults, role), want[role], `default lifecycle of ${role}`);
      assert.deepEqual(rules(custom, role), wantCustom[role], `custom lifecycle of ${role}`);
    }
    for (const b of byName(defaults, "aws:s3/bucket:Bucket").values()) assert.equal(b.inputs.forceDestroy, d.forceDestroy);
    for (const b of byName(custom, "aws:s3/bucket:Bucket").values()) assert.equal(b.inputs.forceDestroy, true);
    for (const b of byName(defaults, "aws:s3/bucket:Bucket").values()) assert.deepEqual(b.inputs.tags, TAGS);
  });

  it("bucket policies: TLS only everywhere; raw/ and warehouse/ objects only for the data roles; each result prefix only for its principal", () => {
    const policies = byName(defaults, "aws:s3/bucketPolicy:BucketPolicy");
    const arn = (role: string): string => `arn:aws:s3:::estate-${role}-bucket-x1`;
    const tls = (role: string): Statement => ({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn(role), `${arn(role)}/*`],
      Condition: { Bool: { "aws:SecureTransport": false } },
    });
    const only = (Sid: string, Action: string[], Resource: string, principals: string[]): Statement => ({
      Sid,
      Effect: "Deny",
      Principal: "*",
      Action,
      Resource,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": principals } },
    });
    const read = ["s3:GetObject", "s3:GetObjectVersion"];
    const write = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"];
    assert.deepEqual(statements(policies.get("estate-raw-policy") as { inputs: Dict }), [
      tls("raw"),
      only("RawReadsOnlyByDataRoles", read, `${arn("raw")}/raw/*`, [DATA_ROLE, INGEST_ROLE]),
      only("RawWritesOnlyByDataRoles", write, `${arn("raw")}/raw/*`, [DATA_ROLE, INGEST_ROLE]),
    ]);
    assert.deepEqual(statements(policies.get("estate-warehouse-policy") as { inputs: Dict }), [
      tls("warehouse"),
      only("WarehouseOnlyByDataRoles", [...read, ...write], `${arn("warehouse")}/warehouse/*`, [DATA_ROLE, INGEST_ROLE]),
    ]);
    assert.deepEqual(statements(policies.get("estate-scripts-policy") as { inputs: Dict }), [tls("scripts")]);
    assert.deepEqual(statements(policies.get("estate-athena-policy") as { inputs: Dict }), [
      tls("athena"),
      only("ResultsOnlyForanalyst", [...read, ...write], `${arn("athena")}/results/analyst/*`, [ANALYST]),
    ]);
  });

  it("key policy: the account administers without data use; data use only by named roles through named services", () => {
    const policy = statements(only(defaults, "aws:kms/keyPolicy:KeyPolicy") as { inputs: Dict });
    const root = { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` };
    const bySid = new Map(policy.map((s) => [s.Sid, s]));
    assert.deepEqual(
      policy.map((s) => s.Sid),
      [
        "AccountAdministersKey",
        "AccountAttachesKeyToAwsResources",
        "DataUseThroughS3",
        "DataUseThroughDynamodb",
        "DataUseThroughLambda",
        "CloudWatchLogsEncrypt",
        "CloudWatchAlarmsPublishToAlertTopic",
        "EventBridgeDeadLetters",
      ],
    );
    const admin = bySid.get("AccountAdministersKey") as Statement;
    assert.deepEqual(admin.Principal, root);
    for (const data of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt*", "kms:CreateGrant", "kms:*"]) {
      assert.ok(!(admin.Action as string[]).includes(data), `administration without ${data}`);
    }
    assert.deepEqual(bySid.get("AccountAttachesKeyToAwsResources")?.Condition, { Bool: { "kms:GrantIsForAWSResource": true } });
    assert.deepEqual(bySid.get("DataUseThroughS3"), {
      Sid: "DataUseThroughS3",
      Effect: "Allow",
      Principal: root,
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT_ID },
        ArnEquals: { "aws:PrincipalArn": [DATA_ROLE, INGEST_ROLE, COORDINATOR] },
      },
    });
    assert.deepEqual(bySid.get("DataUseThroughLambda")?.Action, ["kms:Decrypt"]);
    assert.deepEqual(bySid.get("DataUseThroughDynamodb")?.Condition, {
      StringEquals: { "kms:ViaService": `dynamodb.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT_ID },
      ArnEquals: { "aws:PrincipalArn": [COORDINATOR] },
    });
    assert.deepEqual(bySid.get("CloudWatchLogsEncrypt")?.Condition, {
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${ACCOUNT_ID}:*` },
    });
    assert.deepEqual(bySid.get("EventBridgeDeadLetters"), {
      Sid: "EventBridgeDeadLetters",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { ArnEquals: { "aws:SourceArn": [RULE_ARN] } },
    });
  });

  it("refuses a second applyAccessPolicies and a result prefix outside results/<name>/", async () => {
    await runComponent(TYPE, () => {
      const storage = new LakeStorage("estate", { tags: TAGS });
      const access = { dataRoleArns: [DATA_ROLE], queryResults: [], keyUsers: {} };
      storage.applyAccessPolicies(access);
      assert.throws(() => storage.applyAccessPolicies(access), /LakeStorage estate: applyAccessPolicies may be called once/);
      return storage;
    });
    await assert.rejects(
      runComponent(TYPE, () => {
        const storage = new LakeStorage("estate", { tags: TAGS });
        storage.applyAccessPolicies({
          dataRoleArns: [DATA_ROLE],
          queryResults: [{ prefix: "results/", principalArn: ANALYST }],
          keyUsers: {},
        });
        return storage;
      }),
      /prefix "results\/" must be results\/<name>\//,
    );
  });
});

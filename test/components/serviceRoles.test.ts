/**
 * ServiceRoles alone, under Pulumi mocks (pulumi.runtime.setMocks), with pretend existing buckets,
 * key, secret and state table (plain names and ARNs): each role's trust and its policy's actions
 * and resources exactly, and the Glue security configuration.
 */
import assert from "node:assert/strict";
import { ServiceRoles } from "../../components/serviceRoles";
import {
  ACCOUNT_ID,
  byName,
  EXISTING,
  inventory,
  parseJson,
  REGION,
  runComponent,
  TAGS,
  type ComponentRun,
  type RecordedResource,
} from "./support";

const TYPE = "lake:security:ServiceRoles";
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, unknown>;
}

function policy(resource: RecordedResource | undefined, field = "policy"): Statement[] {
  return parseJson<{ Statement: Statement[] }>(resource?.inputs[field]).Statement;
}

describe("ServiceRoles alone (Pulumi mocks)", () => {
  let run: ComponentRun<ServiceRoles>;
  const { raw, warehouse, scripts } = EXISTING.buckets;
  const glue = (path: string): string => `arn:aws:glue:${REGION}:${ACCOUNT_ID}:${path}`;
  const ec2 = (path: string): string => `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:${path}`;

  before(async () => {
    run = await runComponent(
      TYPE,
      () =>
        new ServiceRoles("estate-service", {
          tags: TAGS,
          storage: { keyArn: EXISTING.keyArn, buckets: { raw, warehouse, scripts } },
          sourceSecretArn: EXISTING.secretArn,
          databasePrefix: "estate_test",
          stateTableArn: EXISTING.stateTableArn,
          connectionName: "estate-source",
          network: { subnetId: "subnet-0abc", securityGroupIds: ["sg-0abc"], availabilityZone: "eu-central-1a" },
          domains: ["sales", "finance"],
        }),
    );
  });

  it("creates the data-access, ingest and one crawler role per domain with their policies, and the security configuration", () => {
    assert.deepEqual(inventory(run), {
      "aws:iam/role:Role": 4,
      "aws:iam/rolePolicy:RolePolicy": 4,
      "aws:glue/securityConfiguration:SecurityConfiguration": 1,
    });
    const role = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:role/${name}-x1`;
    assert.deepEqual(run.outputs, {
      dataAccessRoleArn: role("estate-service-data-access"),
      ingestJobRoleArn: role("estate-service-ingest-job"),
      crawlerRoleArns: { sales: role("estate-service-crawler-sales"), finance: role("estate-service-crawler-finance") },
      securityConfiguration: "estate-service-glue-security-x1",
    });
  });

  it("lets each role be assumed by its service from this account only", () => {
    const roles = byName(run, "aws:iam/role:Role");
    const trust = (name: string): Statement[] => policy(roles.get(name), "assumeRolePolicy");
    const by = (service: string): unknown => [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ];
    assert.deepEqual(trust("estate-service-data-access"), by("lakeformation.amazonaws.com"));
    assert.deepEqual(trust("estate-service-ingest-job"), by("glue.amazonaws.com"));
    assert.deepEqual(trust("estate-service-crawler-sales"), by("glue.amazonaws.com"));
    assert.deepEqual(roles.get("estate-service-crawler-sales")?.inputs.tags, { ...TAGS, domain: "sales" });
  });

  it("data-access role: the raw/ and warehouse/ objects of the given buckets and the given key, nothing else", () => {
    assert.deepEqual(policy(byName(run, "aws:iam/rolePolicy:RolePolicy").get("estate-service-data-access-policy")), [
      { Effect: "Allow", Action: ["s3:ListBucket"], Resource: [raw.arn, warehouse.arn] },
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: [`${raw.arn}/raw/*`, `${warehouse.arn}/warehouse/*`],
      },
      { Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: EXISTING.keyArn },
    ]);
  });

  it("ingest role: its code, its zones, the lake's catalog, its own connection, secret and state table, Glue's network tag only", () => {
    const statements = policy(byName(run, "aws:iam/rolePolicy:RolePolicy").get("estate-service-ingest-job-policy"));
    const bySid = new Map(statements.map((s) => [s.Sid, s]));
    const resources = (sid: string): unknown => bySid.get(sid)?.Resource;
    assert.deepEqual(resources("ReadJobCodeAndManifests"), [`${scripts.arn}/jobs/*`, `${scripts.arn}/manifests/*`]);
    assert.deepEqual(resources("WriteJobResultsAndTemp"), [`${scripts.arn}/results/*`, `${scripts.arn}/temp/*`]);
    assert.deepEqual(resources("WriteRawBatchesAndIceberg"), [`${raw.arn}/raw/*`, `${warehouse.arn}/warehouse/*`]);
    assert.deepEqual(resources("LakeCatalog"), [glue("catalog"), glue("database/estate_test_*"), glue("table/estate_test_*/*")]);
    assert.deepEqual(bySid.get("LakeConnectionOnly"), {
      Sid: "LakeConnectionOnly",
      Effect: "Allow",
      Action: ["glue:GetConnection"],
      Resource: [glue("catalog"), glue("connection/estate-source")],
    });
    assert.deepEqual(bySid.get("SourceCredentials")?.Resource, EXISTING.secretArn);
    assert.deepEqual(bySid.get("SourceCredentials")?.Action, ["secretsmanager:GetSecretValue"]);
    assert.deepEqual(bySid.get("CommitTableState"), {
      Sid: "CommitTableState",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      Resource: EXISTING.stateTableArn,
    });
    assert.deepEqual(resources("ConnectionNetworkInterfacesInLakeSubnet"), [
      ec2("subnet/subnet-0abc"),
      ec2("security-group/sg-0abc"),
      ec2("network-interface/*"),
    ]);
    assert.deepEqual(bySid.get("DeleteNetworkInterfacesOfLakeSubnet")?.Condition, {
      ArnEquals: { "ec2:Subnet": ec2("subnet/subnet-0abc") },
    });
    assert.deepEqual(bySid.get("GlueNetworkTagsOnly")?.Condition, {
      "ForAllValues:StringEquals": { "aws:TagKeys": ["aws-glue-service-resource"] },
    });
    assert.deepEqual(bySid.get("JobMetrics")?.Condition, { StringEquals: { "cloudwatch:namespace": "Glue" } });
    // IAM-mode writer: no Lake Formation credential vending for the job.
    assert.ok(!statements.some((s) => s.Action.includes("lakeformation:GetDataAccess")));
    // No data action on "*": only Describe calls (no resource-level permissions) and the namespaced metrics.
    for (const s of statements.filter((x) => x.Resource === "*")) {
      assert.ok(s.Sid === "ConnectionNetworkingDescribe" || s.Sid === "JobMetrics", `${s.Sid} on *`);
    }
  });

  it("crawler roles: Lake Formation credentials and their own raw database only, no S3 or key use", () => {
    const statements = policy(byName(run, "aws:iam/rolePolicy:RolePolicy").get("estate-service-crawler-sales-policy"));
    assert.deepEqual(statements.find((s) => s.Sid === "OwnRawDatabaseOnly")?.Resource, [
      glue("catalog"),
      glue("database/estate_test_sales_raw"),
      glue("table/estate_test_sales_raw/*"),
    ]);
    assert.deepEqual(statements.find((s) => s.Sid === "LakeFormationCredentials")?.Action, ["lakeformation:GetDataAccess"]);
    assert.ok(!statements.some((s) => s.Action.some((a) => a.startsWith("s3:") || a.startsWith("kms:"))));
  });

  it("encrypts Glue's S3 output and logs (SSE-KMS) and bookmarks (CSE-KMS) with the given key", () => {
    const config = byName(run, "aws:glue/securityConfiguration:SecurityConfiguration").get("estate-service-glue-security");
    assert.deepEqual(config?.inputs.encryptionConfiguration, {
      s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: EXISTING.keyArn },
      cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: EXISTING.keyArn },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: EXISTING.keyArn },
    });
  });
});

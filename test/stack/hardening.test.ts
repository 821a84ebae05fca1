/**
 * The bypasses issue 11 lists, closed in what the program declares (Pulumi mocks): data objects
 * only for the data roles, key use only through named services by named roles, one result prefix
 * per access rule, the lake's connection only, EC2 actions as Glue documents them, one crawler role
 * per domain, dead letters for every way the coordinator is invoked.
 */
import assert from "node:assert/strict";
import { KEY_ADMIN_ACTIONS } from "../../components/lakeAccessPolicies";
import { runLakeProgram } from "../../stacks/program";
import type { LakeOutputs } from "../../stacks/lake";
import { stackFileConfig } from "../fixtures/stackConfig";
import { ACCOUNT_ID, ofType, parseJson, REGION, runWithMocks, valueOf, type RecordedResource } from "./harness";

type Dict = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
const dev = stackFileConfig("dev");
const principals = dev["lake:rolePrincipals"] as Record<string, string>;
const role = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:role/${name}-x1`; // mock physical names
const DATA_ROLES = [role("acme-dev-service-data-access"), role("acme-dev-service-ingest-job")];
const list = (v: unknown): string[] => ([] as string[]).concat(v as string | string[]);

describe("hardening: the lake's resource and role policies (Pulumi mocks)", function () {
  this.timeout(120_000);
  let resources: RecordedResource[];
  let outputs: LakeOutputs;
  const statementsOf = (type: string, name: string, field = "policy"): Statement[] => {
    const found = ofType(resources, type).find((r) => r.name === name);
    assert.ok(found, `${type} ${name}`);
    return parseJson<{ Statement: Statement[] }>(found.inputs[field]).Statement;
  };
  const bucketPolicy = (role: string): Statement[] => statementsOf("aws:s3/bucketPolicy:BucketPolicy", `acme-dev-${role}-policy`);

  before(async () => {
    const run = await runWithMocks(dev, () => runLakeProgram());
    resources = run.resources;
    outputs = run.result;
  });

  it("denies raw/ and warehouse/ object reads and writes to every principal but the data-access and ingest roles", () => {
    const raw = bucketPolicy("raw");
    const rawReads = raw.find((s) => s.Sid === "RawReadsOnlyByDataRoles");
    const rawWrites = raw.find((s) => s.Sid === "RawWritesOnlyByDataRoles");
    assert.deepEqual(rawReads, {
      Sid: "RawReadsOnlyByDataRoles",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: "arn:aws:s3:::acme-dev-raw-bucket-x1/raw/*",
      Condition: { ArnNotEquals: { "aws:PrincipalArn": DATA_ROLES } },
    });
    assert.deepEqual(rawWrites?.Action, ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]);
    assert.deepEqual(rawWrites?.Condition, { ArnNotEquals: { "aws:PrincipalArn": DATA_ROLES } });
    const warehouse = bucketPolicy("warehouse").find((s) => s.Sid === "WarehouseOnlyByDataRoles");
    assert.equal(warehouse?.Resource, "arn:aws:s3:::acme-dev-warehouse-bucket-x1/warehouse/*");
    assert.deepEqual(warehouse?.Condition, { ArnNotEquals: { "aws:PrincipalArn": DATA_ROLES } });
    // The crawlers read through Lake Formation credentials (the data-access role), never their own.
    for (const crawler of ofType(resources, "aws:glue/crawler:Crawler"))
      assert.deepEqual(crawler.inputs.lakeFormationConfiguration, { useLakeFormationCredentials: true });
  });

  it("keeps each access rule's query results to its own principal", () => {
    const athena = bucketPolicy("athena");
    for (const [rule, arn] of Object.entries(principals)) {
      const deny = athena.find((s) => s.Resource === `arn:aws:s3:::acme-dev-athena-bucket-x1/results/${rule}/*`);
      assert.ok(deny, rule);
      assert.equal(deny.Effect, "Deny");
      assert.deepEqual(deny.Condition, { ArnNotEquals: { "aws:PrincipalArn": [arn] } });
    }
  });

  it("exports per rule an identity policy for its own workgroup and result prefix only", async () => {
    for (const rule of Object.keys(principals)) {
      const policy = parseJson<{ Statement: Statement[] }>(await valueOf(outputs.analystPolicies[rule])).Statement;
      const athena = policy.find((s) => list(s.Action).some((a) => a.startsWith("athena:")));
      assert.deepEqual(list(athena?.Resource), [`arn:aws:athena:${REGION}:${ACCOUNT_ID}:acme-dev-${rule}`]);
      const objects = policy.find((s) => s.Sid === "OwnResultPrefixOnly");
      assert.deepEqual(list(objects?.Resource), [`arn:aws:s3:::acme-dev-athena-bucket-x1/results/${rule}/*`]);
      assert.equal(await valueOf(outputs.workgroups[rule]), `acme-dev-${rule}`);
    }
  });

  it("gives the account root key administration only; every data use names its roles and its service", () => {
    const [keyPolicy] = ofType(resources, "aws:kms/keyPolicy:KeyPolicy");
    const statements = parseJson<{ Statement: Statement[] }>(keyPolicy.inputs.policy).Statement;
    const root = { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` };
    const admin = statements.find((s) => s.Sid === "AccountAdministersKey");
    assert.deepEqual(admin?.Action, KEY_ADMIN_ACTIONS);
    const crypto = /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt|\*)/;
    for (const s of statements.filter((st) => JSON.stringify(st.Principal) === JSON.stringify(root))) {
      const data = list(s.Action).filter((a) => crypto.test(a));
      if (s.Sid === "AccountAdministersKey" || s.Sid === "AccountAttachesKeyToAwsResources") {
        assert.deepEqual(data, [], `${s.Sid} has no data use`);
        continue;
      }
      assert.ok(data.length > 0, String(s.Sid));
      assert.match(
        String(s.Condition?.StringEquals?.["kms:ViaService"]),
        new RegExp(`^(s3|dynamodb|sns|sqs|lambda)\\.${REGION}\\.amazonaws\\.com$`),
      );
      assert.ok(list(s.Condition?.ArnEquals?.["aws:PrincipalArn"]).length > 0, String(s.Sid));
    }
    const viaS3 = statements.find((s) => s.Sid === "DataUseThroughS3");
    const operators = (dev["lake:lakeFormation"] as { admins: string[] }).admins;
    assert.deepEqual(
      list(viaS3?.Condition?.ArnEquals?.["aws:PrincipalArn"]).sort(),
      [...DATA_ROLES, role("acme-dev-role"), ...Object.values(principals), ...operators].sort(),
    );
    assert.deepEqual(list(statements.find((s) => s.Sid === "DataUseThroughDynamodb")?.Condition?.ArnEquals?.["aws:PrincipalArn"]), [
      role("acme-dev-role"),
      role("acme-dev-service-ingest-job"),
      ...operators,
    ]);
    assert.equal(list(statements.find((s) => s.Sid === "EventBridgeDeadLetters")?.Condition?.ArnEquals?.["aws:SourceArn"]).length, 2);
  });

  it("lets the job read only the lake's Glue connection, and use EC2 as Glue documents", () => {
    const job = statementsOf("aws:iam/rolePolicy:RolePolicy", "acme-dev-service-ingest-job-policy");
    const getConnection = job.filter((s) => list(s.Action).includes("glue:GetConnection"));
    assert.deepEqual(
      getConnection.map((s) => list(s.Resource)),
      [[`arn:aws:glue:${REGION}:${ACCOUNT_ID}:catalog`, `arn:aws:glue:${REGION}:${ACCOUNT_ID}:connection/acme-dev-source`]],
    );
    for (const s of job.filter((st) => list(st.Action).some((a) => a.startsWith("ec2:") && !a.startsWith("ec2:Describe")))) {
      assert.ok(!list(s.Resource).includes("*"), `${s.Sid} is not on "*"`);
    }
    const ec2 = (sid: string): Statement | undefined => job.find((s) => s.Sid === sid);
    assert.deepEqual(list(ec2("ConnectionNetworkInterfacesInLakeSubnet")?.Resource), [
      `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:subnet/subnet-0a1b2c3d4e5f60718`,
      `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:security-group/sg-0123456789abcdef0`,
      `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:network-interface/*`,
    ]);
    assert.deepEqual(ec2("GlueNetworkTagsOnly")?.Condition, {
      "ForAllValues:StringEquals": { "aws:TagKeys": ["aws-glue-service-resource"] },
    });
    assert.deepEqual(ec2("DeleteNetworkInterfacesOfLakeSubnet")?.Condition, {
      ArnEquals: { "ec2:Subnet": `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:subnet/subnet-0a1b2c3d4e5f60718` },
    });
    assert.ok(!job.some((s) => list(s.Action).includes("lakeformation:GetDataAccess")), "IAM-mode writer: no credential vending");
  });

  it("gives each domain's crawler its own role, limited to its raw database, with the location grant on its role", () => {
    const crawlers = ofType(resources, "aws:glue/crawler:Crawler");
    assert.equal(crawlers.length, 5);
    for (const crawler of crawlers) {
      const domain = String((crawler.inputs.tags as Dict).domain);
      assert.equal(crawler.inputs.role, role(`acme-dev-service-crawler-${domain}`));
      const policy = statementsOf("aws:iam/rolePolicy:RolePolicy", `acme-dev-service-crawler-${domain}-policy`);
      const catalog = policy.find((s) => s.Sid === "OwnRawDatabaseOnly");
      assert.deepEqual(list(catalog?.Resource), [
        `arn:aws:glue:${REGION}:${ACCOUNT_ID}:catalog`,
        `arn:aws:glue:${REGION}:${ACCOUNT_ID}:database/acme_dev_${domain}_raw`,
        `arn:aws:glue:${REGION}:${ACCOUNT_ID}:table/acme_dev_${domain}_raw/*`,
      ]);
      assert.ok(!policy.some((s) => list(s.Action).some((a) => a.startsWith("s3:") || a.startsWith("kms:"))), "no own data access");
      const location = ofType(resources, "aws:lakeformation/permissions:Permissions").find(
        (r) => r.name === `acme-dev-${domain}-crawler-raw-location`,
      );
      assert.equal(location?.inputs.principal, role(`acme-dev-service-crawler-${domain}`));
    }
  });

  it("sends undeliverable schedule firings and events, and failed invocations, to KMS-encrypted queues with alarms", () => {
    const queues = ofType(resources, "aws:sqs/queue:Queue");
    assert.deepEqual(queues.map((q) => q.name).sort(), ["acme-dev-delivery-dead-letters", "acme-dev-failed-invocations"]);
    for (const q of queues) assert.match(String(q.inputs.kmsMasterKeyId), /^arn:aws:kms:/);
    const dlq = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:acme-dev-delivery-dead-letters-x1`;
    for (const schedule of ofType(resources, "aws:scheduler/schedule:Schedule"))
      assert.deepEqual((schedule.inputs.target as Dict).deadLetterConfig, { arn: dlq });
    for (const target of ofType(resources, "aws:cloudwatch/eventTarget:EventTarget"))
      assert.deepEqual(target.inputs.deadLetterConfig, { arn: dlq });
    const [invokeConfig] = ofType(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    assert.deepEqual(invokeConfig.inputs.destinationConfig, {
      onFailure: { destination: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:acme-dev-failed-invocations-x1` },
    });
    const [fn] = ofType(resources, "aws:lambda/function:Function");
    assert.equal(fn.inputs.reservedConcurrentExecutions, 10);
    const depth = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/SQS");
    assert.deepEqual(depth.map((a) => (a.inputs.dimensions as Dict).QueueName).sort(), [
      "acme-dev-delivery-dead-letters-x1",
      "acme-dev-failed-invocations-x1",
    ]);
    const [queuePolicy] = ofType(resources, "aws:sqs/queuePolicy:QueuePolicy");
    const send = parseJson<{ Statement: Statement[] }>(queuePolicy.inputs.policy).Statement[0];
    assert.deepEqual(send.Principal, { Service: "events.amazonaws.com" });
    assert.equal(list(send.Condition?.ArnEquals?.["aws:SourceArn"]).length, 2);
  });

  it("matches only this account's events", () => {
    for (const rule of ofType(resources, "aws:cloudwatch/eventRule:EventRule"))
      assert.deepEqual(parseJson<{ account: string[] }>(rule.inputs.eventPattern).account, [ACCOUNT_ID]);
  });
});

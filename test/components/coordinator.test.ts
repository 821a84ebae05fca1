/**
 * Coordinator alone, under Pulumi mocks (pulumi.runtime.setMocks), with pretend existing buckets,
 * key and pii tag key (plain names and ARNs): the encrypted state table, topic, queues and logs,
 * the role's least privilege, the pii-tag grant, the event rules with dead letters, the function's
 * concurrency and the defaults from COORDINATOR_DEFAULTS. The environment's names are the
 * coordinator contract's, not asserted here (test/stack covers the handler's reading of them).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Coordinator, type CoordinatorArgs } from "../../components/coordinator";
import { COORDINATOR_DEFAULTS } from "../../components/defaults";
import { COORDINATOR_HANDLER_ENTRY, PACKAGE_ROOT } from "../../components/packageFiles";
import { ACCOUNT_ID, byName, EXISTING, inventory, only, parseJson, REGION, runComponent, TAGS, type ComponentRun } from "./support";

const TYPE = "lake:runtime:Coordinator";
const { raw, warehouse, scripts } = EXISTING.buckets;
const ARGS: CoordinatorArgs = {
  tags: TAGS,
  storage: { keyArn: EXISTING.keyArn, buckets: { raw, warehouse, scripts } },
  handlerEntry: COORDINATOR_HANDLER_ENTRY,
  tablesFile: join(PACKAGE_ROOT, "examples/small-lake/tables.yaml"),
  environmentName: "test",
  catchAllTier: "nightly",
  tierJobs: { nightly: "estate-nightly" },
  crawlers: { shop: "estate-raw-shop" },
  source: { engine: "mariadb", database: "estate", connectionName: "estate-source" },
  businessTimeZone: "Europe/Berlin",
  databasePrefix: "estate_test",
  leaseSeconds: 5400,
  longestJobTimeoutMinutes: 60,
  piiTagKey: EXISTING.tagKeys.piiKey,
  sourceTimeZone: "Europe/Berlin",
  accountId: ACCOUNT_ID,
  region: REGION,
};
interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
}

describe("Coordinator alone (Pulumi mocks)", function () {
  this.timeout(120_000);
  let run: ComponentRun<Coordinator>;

  before(async () => {
    run = await runComponent(TYPE, () => new Coordinator("estate", ARGS));
  });

  it("creates its table, function, role, topic, queues, log group, rules, targets, permissions and alarms", () => {
    assert.deepEqual(inventory(run), {
      "aws:dynamodb/table:Table": 1,
      "aws:sns/topic:Topic": 1,
      "aws:sqs/queue:Queue": 2,
      "aws:sqs/queuePolicy:QueuePolicy": 1,
      "aws:scheduler/scheduleGroup:ScheduleGroup": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:lakeformation/permissions:Permissions": 1,
      "aws:lambda/function:Function": 1,
      "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": 1,
      "aws:cloudwatch/eventRule:EventRule": 2,
      "aws:cloudwatch/eventTarget:EventTarget": 2,
      "aws:lambda/permission:Permission": 2,
      // two dead-letter alarms, Lambda errors, one tables-failed per tier, one no-loads
      "aws:cloudwatch/metricAlarm:MetricAlarm": 5,
    });
    assert.equal(run.outputs.stateTableName, "estate-state-x1");
    assert.equal(run.outputs.functionName, "estate-coordinator");
    assert.equal(run.outputs.alertTopicArn, `arn:aws:sns:${REGION}:${ACCOUNT_ID}:estate-alerts-x1`);
    assert.ok((run.outputs.bundleBytes as number) > 10_000);
    const topic = run.outputs.alertTopicArn;
    for (const alarm of byName(run, "aws:cloudwatch/metricAlarm:MetricAlarm").values()) {
      assert.deepEqual([alarm.inputs.alarmActions, alarm.inputs.okActions], [[topic], [topic]], alarm.name);
    }
  });

  it("encrypts the state table (with PITR and deletion protection), topic, queues, logs and function with the given key", () => {
    const table = only(run, "aws:dynamodb/table:Table").inputs;
    assert.deepEqual(table.serverSideEncryption, { enabled: true, kmsKeyArn: EXISTING.keyArn });
    assert.deepEqual(table.pointInTimeRecovery, { enabled: true });
    assert.equal(table.deletionProtectionEnabled, true);
    assert.equal(only(run, "aws:sns/topic:Topic").inputs.kmsMasterKeyId, EXISTING.keyArn);
    for (const q of byName(run, "aws:sqs/queue:Queue").values()) {
      assert.equal(q.inputs.kmsMasterKeyId, EXISTING.keyArn, q.name);
      assert.equal(q.inputs.messageRetentionSeconds, 14 * 24 * 3600, q.name);
    }
    const logs = only(run, "aws:cloudwatch/logGroup:LogGroup").inputs;
    assert.equal(logs.kmsKeyId, EXISTING.keyArn);
    assert.equal(logs.retentionInDays, COORDINATOR_DEFAULTS.logRetentionDays);
    const fn = only(run, "aws:lambda/function:Function").inputs;
    assert.equal(fn.kmsKeyArn, EXISTING.keyArn);
    assert.equal(fn.reservedConcurrentExecutions, COORDINATOR_DEFAULTS.reservedConcurrency);
    const env = (fn.environment as { variables: Record<string, string> }).variables;
    for (const bucket of [raw, warehouse, scripts])
      assert.ok(Object.values(env).includes(bucket.name), `the function is told ${bucket.name}`);
  });

  it("role: its table, manifests and results under the given scripts bucket, its jobs and crawlers, the lake's catalog, its topic, queue and key", () => {
    const statements = parseJson<{ Statement: Statement[] }>(only(run, "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
    const resources = new Map(statements.map((s) => [s.Sid, s.Resource]));
    const glue = (path: string): string => `arn:aws:glue:${REGION}:${ACCOUNT_ID}:${path}`;
    assert.equal(resources.get("RunManifests"), `${scripts.arn}/manifests/*`);
    assert.equal(resources.get("RunResults"), `${scripts.arn}/results/*`);
    assert.deepEqual(resources.get("StartTierJobs"), [glue("job/estate-nightly")]);
    assert.deepEqual(resources.get("TargetCrawlers"), [glue("crawler/estate-raw-shop")]);
    assert.deepEqual(resources.get("ReadCatalogForTagging"), [
      glue("catalog"),
      glue("database/estate_test_*"),
      glue("table/estate_test_*/*"),
    ]);
    assert.equal(resources.get("Encryption"), EXISTING.keyArn);
    assert.equal(resources.get("TableState"), `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:estate-state-x1`);
    for (const s of statements) {
      assert.ok(!s.Action.some((a) => a.endsWith(":*") || a === "*"), `${s.Sid}: no wildcard action`);
      if (s.Resource === "*")
        assert.ok(
          s.Action.every((a) => a.startsWith("lakeformation:")),
          `${s.Sid} on * is Lake Formation tagging only`,
        );
    }
    const trust = parseJson<{ Statement: { Principal: unknown; Condition: unknown }[] }>(
      only(run, "aws:iam/role:Role").inputs.assumeRolePolicy,
    );
    assert.deepEqual(trust.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
    assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } });
  });

  it("may associate the given pii tag key, and nothing more through that grant", () => {
    const grant = only(run, "aws:lakeformation/permissions:Permissions").inputs;
    assert.deepEqual(grant, {
      principal: `arn:aws:iam::${ACCOUNT_ID}:role/estate-role-x1`,
      permissions: ["ASSOCIATE", "DESCRIBE"],
      permissionsWithGrantOptions: [],
      lfTag: { key: "estate_pii", values: ["false", "true"] },
    });
  });

  it("hears only this account's events of its own jobs and crawlers, with retries and dead letters for undeliverable ones", () => {
    const rules = byName(run, "aws:cloudwatch/eventRule:EventRule");
    assert.deepEqual(parseJson(rules.get("estate-job-state")?.inputs.eventPattern), {
      account: [ACCOUNT_ID],
      source: ["aws.glue"],
      "detail-type": ["Glue Job State Change"],
      detail: { jobName: ["estate-nightly"], state: ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"] },
    });
    assert.deepEqual(parseJson(rules.get("estate-crawler-state")?.inputs.eventPattern), {
      account: [ACCOUNT_ID],
      source: ["aws.glue"],
      "detail-type": ["Glue Crawler State Change"],
      detail: { crawlerName: ["estate-raw-shop"], state: ["Succeeded", "Failed"] },
    });
    const dlq = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:estate-delivery-dead-letters-x1`;
    for (const target of byName(run, "aws:cloudwatch/eventTarget:EventTarget").values()) {
      assert.deepEqual(target.inputs.deadLetterConfig, { arn: dlq }, target.name);
      assert.deepEqual(target.inputs.retryPolicy, { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 }, target.name);
    }
    for (const permission of byName(run, "aws:lambda/permission:Permission").values()) {
      assert.equal(permission.inputs.principal, "events.amazonaws.com");
      assert.equal(permission.inputs.sourceAccount, ACCOUNT_ID);
      assert.match(permission.inputs.sourceArn as string, /estate-(job|crawler)-state-x1$/);
    }
    const failures = only(run, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs;
    assert.deepEqual(failures.destinationConfig, {
      onFailure: { destination: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:estate-failed-invocations-x1` },
    });
  });

  it("takes its log retention, concurrency and alert e-mail from the caller, and refuses a lease shorter than a job", async () => {
    const custom = await runComponent(
      TYPE,
      () => new Coordinator("estate", { ...ARGS, logRetentionDays: 365, reservedConcurrency: 3, alertEmail: "ops@example.com" }),
    );
    assert.equal(only(custom, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 365);
    assert.equal(only(custom, "aws:lambda/function:Function").inputs.reservedConcurrentExecutions, 3);
    const subscription = only(custom, "aws:sns/topicSubscription:TopicSubscription").inputs;
    assert.deepEqual([subscription.protocol, subscription.endpoint], ["email", "ops@example.com"]);
    await assert.rejects(
      runComponent(TYPE, () => new Coordinator("estate", { ...ARGS, leaseSeconds: 3600 })),
      /Coordinator estate: leaseSeconds \(3600\) must be longer than the longest job timeout \(60 min\)/,
    );
  });
});

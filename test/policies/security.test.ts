// Each security policy with a resource (or stack) that passes and one that fails, on the
// compliant fixtures with one field changed.

import assert from "node:assert/strict";
import {
  actionCovers,
  deadLetterQueues,
  eventRuleAccount,
  iamNoDataActionsOnAnyResource,
  iamPassRoleScoped,
  iamServiceTrustScoped,
  kmsKeyPolicyScoped,
  lambdaFailureDestinationAndConcurrency,
  lfAnalystReadOnly,
  lfNoExternalDataAccess,
} from "../../policies/security";
import { ACCOUNT, compliantLake, fx, withProps } from "./fixtures";
import { resourceViolations, stackViolations, type ResourceSpec } from "./harness";

const doc = (...Statement: Record<string, unknown>[]): string => JSON.stringify({ Version: "2012-10-17", Statement });
const rolePolicy = (...statements: Record<string, unknown>[]): ResourceSpec => withProps(fx.rolePolicy(), { policy: doc(...statements) });
const ROOT = { AWS: `arn:aws:iam::${ACCOUNT}:root` };

describe("iam-no-data-actions-on-any-resource", () => {
  const p = iamNoDataActionsOnAnyResource;

  it("passes data actions on named ARNs and describe calls on *", async () => {
    assert.deepEqual(await resourceViolations(p, fx.rolePolicy()), []);
  });

  it("rejects data actions on *, also through wildcards, and NotAction allows", async () => {
    const v = await resourceViolations(
      p,
      rolePolicy(
        { Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" },
        { Effect: "Allow", Action: ["s3:Get*"], Resource: ["*"] },
        { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
      ),
    );
    assert.deepEqual(v, [
      'aws:iam:RolePolicy "lake-ingest-job-policy": Statement[0] (Sid "Secrets") allows data actions ["secretsmanager:GetSecretValue"] on Resource "*"; name the ARNs.',
      'aws:iam:RolePolicy "lake-ingest-job-policy": Statement[1] allows data actions ["s3:GetObject","s3:GetObjectVersion"] on Resource "*"; name the ARNs.',
      'aws:iam:RolePolicy "lake-ingest-job-policy": Statement[2] allows with NotAction; list the actions.',
    ]);
  });

  it("matches IAM wildcards case-insensitively", () => {
    assert.equal(actionCovers("kms:generatedatakey*", "kms:GenerateDataKeyWithoutPlaintext"), true);
    assert.equal(actionCovers("s3:Get?bject", "s3:GetObject"), true);
    assert.equal(actionCovers("s3:GetBucket*", "s3:GetObject"), false);
  });
});

describe("iam-passrole-scoped", () => {
  const p = iamPassRoleScoped;

  it("passes PassRole on a named role to a named service", async () => {
    const ok = rolePolicy({
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: `arn:aws:iam::${ACCOUNT}:role/lake-ingest-job`,
      Condition: { StringEquals: { "iam:PassedToService": "glue.amazonaws.com" } },
    });
    assert.deepEqual(await resourceViolations(p, ok), []);
  });

  it("rejects PassRole on * (also through iam:*) and without iam:PassedToService", async () => {
    const v = await resourceViolations(p, rolePolicy({ Effect: "Allow", Action: "iam:*", Resource: "*" }));
    assert.deepEqual(v, [
      'aws:iam:RolePolicy "lake-ingest-job-policy": Statement[0] allows iam:PassRole on "*"; name the roles.',
      'aws:iam:RolePolicy "lake-ingest-job-policy": Statement[0] allows iam:PassRole without Condition iam:PassedToService.',
    ]);
  });
});

describe("iam-service-trust-confused-deputy", () => {
  const p = iamServiceTrustScoped;
  const trust = (service: string, condition?: Record<string, unknown>): ResourceSpec =>
    withProps(fx.role(), {
      assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: condition }),
    });

  it("passes a service trust limited to the account, and Scheduler's limited to its schedule group", async () => {
    assert.deepEqual(await resourceViolations(p, fx.role()), []);
    const scheduler = trust("scheduler.amazonaws.com", {
      StringEquals: { "aws:SourceAccount": ACCOUNT },
      ArnLike: { "aws:SourceArn": `arn:aws:scheduler:eu-central-1:${ACCOUNT}:schedule-group/lake` },
    });
    assert.deepEqual(await resourceViolations(p, scheduler), []);
  });

  it("rejects a service trust without a source condition, and Scheduler's without aws:SourceArn", async () => {
    assert.deepEqual(await resourceViolations(p, trust("glue.amazonaws.com")), [
      'aws:iam:Role "lake-ingest-job-role": assumeRolePolicy Statement[0] lets ["glue.amazonaws.com"] assume the role without aws:SourceAccount or aws:SourceArn.',
    ]);
    assert.deepEqual(await resourceViolations(p, trust("scheduler.amazonaws.com", { StringEquals: { "aws:SourceAccount": ACCOUNT } })), [
      'aws:iam:Role "lake-ingest-job-role": assumeRolePolicy Statement[0] lets ["scheduler.amazonaws.com"] assume the role without aws:SourceArn (its schedule group).',
    ]);
  });
});

describe("kms-key-policy-scoped", () => {
  const p = kmsKeyPolicyScoped;
  const keyPolicy = (...statements: Record<string, unknown>[]): ResourceSpec => withProps(fx.keyPolicy(), { policy: doc(...statements) });

  it("passes listed administration, data use through a service, services with a source condition", async () => {
    assert.deepEqual(await resourceViolations(p, fx.keyPolicy()), []);
    assert.deepEqual(await resourceViolations(p, fx.kmsKey()), [], "a key without an inline policy (a KeyPolicy sets it)");
  });

  it("rejects kms:* (the default key policy), decrypt without kms:ViaService, an unscoped service and an unscoped CreateGrant", async () => {
    const v = await resourceViolations(
      p,
      keyPolicy(
        { Sid: "Default", Effect: "Allow", Principal: ROOT, Action: "kms:*", Resource: "*" },
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/analyst` }, Action: "kms:Decrypt", Resource: "*" },
        { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: ["kms:GenerateDataKey"], Resource: "*" },
        { Effect: "Allow", Principal: ROOT, Action: "kms:CreateGrant", Resource: "*" },
      ),
    );
    assert.deepEqual(v, [
      'aws:kms:KeyPolicy "lake-key-policy": key policy Statement[0] (Sid "Default") allows ["kms:*"]; list the administration actions and grant data use by service.',
      'aws:kms:KeyPolicy "lake-key-policy": key policy Statement[1] allows ["kms:Decrypt"] without kms:ViaService; data use goes through the service that stores the data.',
      'aws:kms:KeyPolicy "lake-key-policy": key policy Statement[2] lets a service use the key (["kms:GenerateDataKey"]) without aws:SourceArn, aws:SourceAccount or an encryption-context condition.',
      'aws:kms:KeyPolicy "lake-key-policy": key policy Statement[3] allows kms:CreateGrant without kms:GrantIsForAWSResource or kms:ViaService (a grant would give data use around the policy).',
    ]);
    const inline = await resourceViolations(
      p,
      withProps(fx.kmsKey(), { policy: doc({ Effect: "Allow", Principal: ROOT, Action: "*", Resource: "*" }) }),
    );
    assert.equal(inline.length, 1);
    assert.match(inline[0], /^aws:kms:Key "lake-key": key policy Statement\[0\] allows \["\*"\]/);
  });
});

describe("lakeformation-analyst-select-describe-only", () => {
  const p = lfAnalystReadOnly;
  const lakeWith = (change: (r: ResourceSpec) => ResourceSpec): ResourceSpec[] => compliantLake().map(change);

  it("passes analysts with SELECT and DESCRIBE, and service roles of the stack with more", async () => {
    assert.deepEqual(await stackViolations(p, compliantLake()), []);
  });

  it("rejects ALL, DROP, DATA_LOCATION_ACCESS or a grant option for an analyst principal", async () => {
    for (const extra of ["ALL", "DROP", "DATA_LOCATION_ACCESS"]) {
      const v = await stackViolations(
        p,
        lakeWith((r) => (r.name === "grant-sales-analyst-select" ? withProps(r, { permissions: ["SELECT", extra] }) : r)),
      );
      assert.deepEqual(v, [
        `aws:lakeformation:Permissions "grant-sales-analyst-select" (principal "arn:aws:iam::${ACCOUNT}:role/lake-sales-analyst"): an analyst principal is granted ["${extra}"]; analysts get SELECT and DESCRIBE only.`,
      ]);
    }
    const withGrant = await stackViolations(
      p,
      lakeWith((r) => (r.name === "grant-sales-analyst-select" ? withProps(r, { permissionsWithGrantOptions: ["SELECT"] }) : r)),
    );
    assert.match(withGrant[0], /permissionsWithGrantOptions; analysts never pass grants on/);
  });

  it("treats a grant whose principal is not computed from a role of the stack as an analyst's", async () => {
    const v = await stackViolations(
      p,
      lakeWith((r) => (r.name === "grant-job-create-table" ? { ...r, dependencies: ["lake-settings"], propertyDependencies: {} } : r)),
    );
    assert.equal(v.length, 1);
    assert.match(v[0], /"grant-job-create-table" .* is granted \["CREATE_TABLE"\]/);
  });
});

describe("lakeformation-no-external-data-access", () => {
  const p = lfNoExternalDataAccess;

  it("passes settings with both flags false and no allow lists", async () => {
    assert.deepEqual(await resourceViolations(p, fx.dataLakeSettings()), []);
  });

  it("rejects full-table external access, external filtering and allow lists", async () => {
    const v = await resourceViolations(
      p,
      withProps(fx.dataLakeSettings(), {
        allowFullTableExternalDataAccess: true,
        allowExternalDataFiltering: true,
        externalDataFilteringAllowLists: [ACCOUNT],
      }),
    );
    assert.deepEqual(v, [
      'aws:lakeformation:DataLakeSettings "lake-settings": allowExternalDataFiltering is true; the lake\'s writer uses IAM and its readers Lake Formation, no engine needs it.',
      'aws:lakeformation:DataLakeSettings "lake-settings": allowFullTableExternalDataAccess is true; the lake\'s writer uses IAM and its readers Lake Formation, no engine needs it.',
      `aws:lakeformation:DataLakeSettings "lake-settings": externalDataFilteringAllowLists is ["${ACCOUNT}"]; it must be empty.`,
    ]);
  });
});

describe("dead-letter-queues-on-targets", () => {
  const p = deadLetterQueues;

  it("passes a schedule and a rule target with a dead-letter queue", async () => {
    assert.deepEqual(await resourceViolations(p, fx.schedule()), []);
    assert.deepEqual(await resourceViolations(p, fx.eventTarget()), []);
  });

  it("rejects a schedule and a rule target without one", async () => {
    const schedule = fx.schedule();
    const target = { ...(schedule.props.target as Record<string, unknown>), deadLetterConfig: undefined };
    assert.deepEqual(await resourceViolations(p, withProps(schedule, { target })), [
      'aws:scheduler:Schedule "tier-15min": target.deadLetterConfig.arn is unset; name an SQS dead-letter queue.',
    ]);
    assert.deepEqual(await resourceViolations(p, withProps(fx.eventTarget(), { deadLetterConfig: undefined })), [
      'aws:cloudwatch:EventTarget "lake-glue-job-state-target": deadLetterConfig.arn is unset; name an SQS dead-letter queue.',
    ]);
  });
});

describe("lambda-on-failure-and-concurrency", () => {
  const p = lambdaFailureDestinationAndConcurrency;

  it("passes a function with reserved concurrency and an on-failure destination", async () => {
    assert.deepEqual(await stackViolations(p, compliantLake()), []);
  });

  it("rejects a function without reserved concurrency or without an on-failure destination", async () => {
    const noReserve = compliantLake().map((r) =>
      r.name === "lake-coordinator" ? withProps(r, { reservedConcurrentExecutions: undefined }) : r,
    );
    assert.deepEqual(await stackViolations(p, noReserve), [
      'aws:lambda:Function "lake-coordinator": reservedConcurrentExecutions is unset; reserve at least 1.',
    ]);
    const noDestination = compliantLake().filter((r) => r.name !== "lake-coordinator-async");
    assert.deepEqual(await stackViolations(p, noDestination), [
      'aws:lambda:Function "lake-coordinator": no FunctionEventInvokeConfig with destinationConfig.onFailure.destination; failed invocations would be dropped.',
    ]);
  });
});

describe("eventbridge-rule-account-pattern", () => {
  const p = eventRuleAccount;

  it("passes a pattern naming the account", async () => {
    assert.deepEqual(await resourceViolations(p, fx.eventRule()), []);
  });

  it("rejects a pattern without account", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.eventRule(), { eventPattern: JSON.stringify({ source: ["aws.glue"] }) })), [
      'aws:cloudwatch:EventRule "lake-glue-job-state": eventPattern has no "account" list; match this account\'s events only.',
    ]);
  });
});

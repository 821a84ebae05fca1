import assert from "node:assert/strict";
import {
  athenaWorkgroupEnforcedEncrypted,
  dynamodbStateTable,
  isValidTimeZone,
  lambdaNotPublic,
  scheduleExpressionProblem,
  schedulerTimezone,
} from "../../policies/runtime";
import { isValidTimeZone as isModelTimeZone } from "../../model";
import { fx, KEY_ARN, withProps } from "./fixtures";
import { resourceViolations, UNKNOWN, validateResource } from "./harness";

describe("scheduler-timezone", () => {
  const p = schedulerTimezone;

  it("passes a workday 15-minute cron in the business time zone, and a daily rate", async () => {
    assert.deepEqual(await resourceViolations(p, fx.schedule()), []);
    assert.deepEqual(await resourceViolations(p, withProps(fx.schedule(), { scheduleExpression: "rate(1 day)" })), []);
  });

  it("rejects a schedule without a time zone", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.schedule(), { scheduleExpressionTimezone: undefined })), [
      'aws:scheduler:Schedule "tier-15min": scheduleExpressionTimezone is unset (it would default to UTC); set the business time zone, e.g. "Europe/Berlin".',
    ]);
  });

  it("rejects an unknown time zone name", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.schedule(), { scheduleExpressionTimezone: "Europe/Atlantis" })), [
      'aws:scheduler:Schedule "tier-15min": scheduleExpressionTimezone "Europe/Atlantis" is not a valid IANA time zone (an Area/Location name such as "Europe/Berlin", or "UTC").',
    ]);
  });

  it("rejects the zone abbreviations tables.yaml refuses (EST, CET), with the model's rule", async () => {
    assert.equal(isValidTimeZone, isModelTimeZone, "the pack uses the model's function, not a copy");
    for (const zone of ["EST", "CET", "GMT"]) {
      assert.equal(isValidTimeZone(zone), false, zone);
      assert.equal(isValidTimeZone(zone), isModelTimeZone(zone), zone);
      assert.deepEqual(await resourceViolations(p, withProps(fx.schedule(), { scheduleExpressionTimezone: zone })), [
        `aws:scheduler:Schedule "tier-15min": scheduleExpressionTimezone "${zone}" is not a valid IANA time zone (an Area/Location name such as "Europe/Berlin", or "UTC").`,
      ]);
    }
    assert.deepEqual(await resourceViolations(p, withProps(fx.schedule(), { scheduleExpressionTimezone: "UTC" })), []);
  });

  it("rejects one-time and malformed expressions", async () => {
    const at = await resourceViolations(p, withProps(fx.schedule(), { scheduleExpression: "at(2025-01-01T00:00:00)" }));
    assert.match(at[0], /scheduleExpression "at\(2025-01-01T00:00:00\)" is not accepted: it must be cron\(\.\.\.\) or rate\(\.\.\.\)/);
    const fiveFields = await resourceViolations(p, withProps(fx.schedule(), { scheduleExpression: "cron(*/15 7-18 * * 1-5)" }));
    assert.match(fiveFields[0], /cron\(\) needs 6 fields .* got 5/);
  });

  it("validates expressions", () => {
    assert.equal(scheduleExpressionProblem("rate(15 minutes)"), undefined);
    assert.equal(scheduleExpressionProblem("rate(1 minute)"), undefined);
    assert.match(scheduleExpressionProblem("rate(1 minutes)") ?? "", /singular/);
    assert.match(scheduleExpressionProblem("rate(5 hour)") ?? "", /plural/);
    assert.match(scheduleExpressionProblem("rate(5 weeks)") ?? "", /unit/);
    assert.equal(isValidTimeZone("America/New_York"), true);
    assert.equal(isValidTimeZone(""), false);
  });

  it("leaves a computed time zone to the update", async () => {
    const result = await validateResource(p, withProps(fx.schedule(), { scheduleExpressionTimezone: UNKNOWN.string }));
    assert.deepEqual(result.diagnostics, []);
  });
});

describe("lambda-not-public", () => {
  const p = lambdaNotPublic;

  it("passes a service permission scoped by sourceArn and an IAM function URL", async () => {
    assert.deepEqual(await resourceViolations(p, fx.lambdaPermission()), []);
    assert.deepEqual(await resourceViolations(p, fx.functionUrl()), []);
  });

  it("rejects Principal * without sourceArn", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.lambdaPermission(), { principal: "*", sourceArn: undefined })), [
      'aws:lambda:Permission "lake-coordinator-events": principal is "*"; name the invoking service or account.',
      'aws:lambda:Permission "lake-coordinator-events": sourceArn is unset; restrict the permission to the invoking rule or resource.',
    ]);
  });

  it("rejects public function URLs", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.functionUrl(), { authorizationType: "NONE" })), [
      'aws:lambda:FunctionUrl "lake-coordinator-url": authorizationType is "NONE"; use "AWS_IAM".',
    ]);
    const perm = await resourceViolations(
      p,
      withProps(fx.lambdaPermission(), { action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "NONE" }),
    );
    assert.match(perm[0], /functionUrlAuthType is "NONE"/);
  });
});

describe("dynamodb-state-table", () => {
  const p = dynamodbStateTable;

  it("passes an on-demand, KMS-encrypted table with PITR", async () => {
    assert.deepEqual(await resourceViolations(p, fx.stateTable()), []);
  });

  it("rejects a provisioned table without PITR or KMS", async () => {
    const spec = withProps(fx.stateTable(), {
      billingMode: "PROVISIONED",
      readCapacity: 5,
      writeCapacity: 5,
      pointInTimeRecovery: undefined,
      serverSideEncryption: { enabled: true },
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:dynamodb:Table "lake-state": pointInTimeRecovery.enabled is unset; it must be true.',
      'aws:dynamodb:Table "lake-state": serverSideEncryption.kmsKeyArn is unset; use the lake\'s customer-managed KMS key.',
      'aws:dynamodb:Table "lake-state": billingMode is "PROVISIONED"; it must be "PAY_PER_REQUEST".',
    ]);
  });

  it("rejects disabled server-side encryption", async () => {
    const v = await resourceViolations(p, withProps(fx.stateTable(), { serverSideEncryption: { enabled: false, kmsKeyArn: KEY_ARN } }));
    assert.deepEqual(v, ['aws:dynamodb:Table "lake-state": serverSideEncryption.enabled is false; it must be true.']);
  });
});

describe("athena-workgroup-enforced-encrypted", () => {
  const p = athenaWorkgroupEnforcedEncrypted;

  it("passes an enforced SSE_KMS workgroup", async () => {
    assert.deepEqual(await resourceViolations(p, fx.workgroup()), []);
  });

  it("rejects a workgroup that users can override", async () => {
    const spec = withProps(fx.workgroup(), {
      configuration: {
        enforceWorkgroupConfiguration: false,
        resultConfiguration: { outputLocation: "s3://r/", encryptionConfiguration: { encryptionOption: "CSE_KMS", kmsKeyArn: KEY_ARN } },
      },
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:athena:Workgroup "lake-analysts": configuration.enforceWorkgroupConfiguration is false; it must be true.',
    ]);
  });

  it("rejects SSE_S3 or missing result encryption", async () => {
    const s3 = withProps(fx.workgroup(), {
      configuration: {
        enforceWorkgroupConfiguration: true,
        resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_S3" } },
      },
    });
    assert.deepEqual(await resourceViolations(p, s3), [
      'aws:athena:Workgroup "lake-analysts": configuration.resultConfiguration.encryptionConfiguration.encryptionOption is "SSE_S3"; it must be "SSE_KMS" or "CSE_KMS".',
    ]);
    const none = await resourceViolations(p, withProps(fx.workgroup(), { configuration: undefined }));
    assert.equal(none.length, 2);
    assert.match(none[1], /encryptionOption is unset/);
    const noKey = withProps(fx.workgroup(), {
      configuration: {
        enforceWorkgroupConfiguration: true,
        resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS" } },
      },
    });
    assert.match((await resourceViolations(p, noKey))[0], /encryptionConfiguration\.kmsKeyArn is unset/);
  });
});

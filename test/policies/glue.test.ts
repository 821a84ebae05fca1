import assert from "node:assert/strict";
import {
  glueConnectionInVpc,
  glueConnectionNoPassword,
  glueCrawlerOnDemandWithLfCredentials,
  glueJobBookmarksDisabled,
  glueJobVersionAndCapacity,
  glueSecurityConfiguration,
  glueVersionAtLeast,
} from "../../policies/glue";
import { fx, KEY_ARN, RAW_BUCKET, withProps } from "./fixtures";
import { resourceViolations, secret, UNKNOWN, validateResource } from "./harness";

describe("glue-job-version-and-capacity", () => {
  const p = glueJobVersionAndCapacity;

  it("passes a Glue 5.0 glueetl job sized by workers", async () => {
    assert.deepEqual(await resourceViolations(p, fx.glueJob()), []);
    assert.deepEqual(await resourceViolations(p, withProps(fx.glueJob(), { glueVersion: "5.1" })), []);
  });

  it("compares versions numerically", () => {
    assert.equal(glueVersionAtLeast("5.0", "5.0"), true);
    assert.equal(glueVersionAtLeast("10.0", "5.0"), true);
    assert.equal(glueVersionAtLeast("4.0", "5.0"), false);
    assert.equal(glueVersionAtLeast("latest", "5.0"), false);
  });

  it("rejects an old or missing glueVersion", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.glueJob(), { glueVersion: "4.0" })), [
      'aws:glue:Job "lake-ingest-daily": glueVersion is "4.0"; it must be "5.0" or later.',
    ]);
    assert.match((await resourceViolations(p, withProps(fx.glueJob(), { glueVersion: undefined })))[0], /glueVersion is unset/);
  });

  it("rejects maxCapacity and missing workers", async () => {
    const v = await resourceViolations(p, withProps(fx.glueJob(), { maxCapacity: 10, workerType: undefined, numberOfWorkers: undefined }));
    assert.deepEqual(v, [
      'aws:glue:Job "lake-ingest-daily": maxCapacity is 10; size the job with workerType and numberOfWorkers instead.',
      'aws:glue:Job "lake-ingest-daily": workerType is unset; set it (e.g. "G.1X").',
      'aws:glue:Job "lake-ingest-daily": numberOfWorkers is unset; set an integer of at least 2.',
    ]);
    assert.match((await resourceViolations(p, withProps(fx.glueJob(), { numberOfWorkers: 1 })))[0], /numberOfWorkers is 1/);
  });

  it("rejects a Python shell job", async () => {
    const v = await resourceViolations(p, withProps(fx.glueJob(), { command: { name: "pythonshell", scriptLocation: "s3://x/y.py" } }));
    assert.deepEqual(v, ['aws:glue:Job "lake-ingest-daily": command.name is "pythonshell"; it must be "glueetl".']);
  });
});

describe("glue-job-bookmarks-disabled", () => {
  const p = glueJobBookmarksDisabled;

  it("passes a job with bookmarks disabled", async () => {
    assert.deepEqual(await resourceViolations(p, fx.glueJob()), []);
  });

  it("rejects enabled or missing bookmarks", async () => {
    assert.deepEqual(
      await resourceViolations(p, withProps(fx.glueJob(), { defaultArguments: { "--job-bookmark-option": "job-bookmark-enable" } })),
      [
        'aws:glue:Job "lake-ingest-daily": defaultArguments["--job-bookmark-option"] is "job-bookmark-enable"; it must be "job-bookmark-disable".',
      ],
    );
    assert.match(
      (await resourceViolations(p, withProps(fx.glueJob(), { defaultArguments: undefined })))[0],
      /defaultArguments\["--job-bookmark-option"\] is unset/,
    );
  });

  it("rejects a non-overridable argument that turns bookmarks back on", async () => {
    const v = await resourceViolations(
      p,
      withProps(fx.glueJob(), { nonOverridableArguments: { "--job-bookmark-option": "job-bookmark-pause" } }),
    );
    assert.equal(v.length, 1);
    assert.match(v[0], /nonOverridableArguments\["--job-bookmark-option"\] is "job-bookmark-pause"/);
  });
});

describe("glue-security-configuration", () => {
  const p = glueSecurityConfiguration;

  it("passes jobs, crawlers and a KMS security configuration", async () => {
    for (const spec of [fx.glueJob(), fx.crawler(), fx.glueSecurityConfiguration()]) {
      assert.deepEqual(await resourceViolations(p, spec), [], spec.name);
    }
    assert.deepEqual(await resourceViolations(p, withProps(fx.glueJob(), { securityConfiguration: UNKNOWN.string })), []);
  });

  it("rejects a job or crawler without securityConfiguration", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.glueJob(), { securityConfiguration: undefined })), [
      'aws:glue:Job "lake-ingest-daily": securityConfiguration is unset; name the lake\'s Glue security configuration.',
    ]);
    assert.match(
      (await resourceViolations(p, withProps(fx.crawler(), { securityConfiguration: "" })))[0],
      /aws:glue:Crawler "lake-raw-crawler": securityConfiguration is unset/,
    );
  });

  it("rejects weak encryption modes and missing keys", async () => {
    const spec = withProps(fx.glueSecurityConfiguration(), {
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: "SSE-S3" },
        cloudwatchEncryption: { cloudwatchEncryptionMode: "DISABLED" },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY_ARN },
      },
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:glue:SecurityConfiguration "lake-glue-security": encryptionConfiguration.s3Encryption.s3EncryptionMode is "SSE-S3"; it must be "SSE-KMS".',
      'aws:glue:SecurityConfiguration "lake-glue-security": encryptionConfiguration.s3Encryption.kmsKeyArn is unset; name the lake\'s KMS key.',
      'aws:glue:SecurityConfiguration "lake-glue-security": encryptionConfiguration.cloudwatchEncryption.cloudwatchEncryptionMode is "DISABLED"; it must be "SSE-KMS".',
      'aws:glue:SecurityConfiguration "lake-glue-security": encryptionConfiguration.cloudwatchEncryption.kmsKeyArn is unset; name the lake\'s KMS key.',
    ]);
  });

  it("rejects unencrypted job bookmarks", async () => {
    const spec = withProps(fx.glueSecurityConfiguration(), {
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: KEY_ARN },
        cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY_ARN },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: "DISABLED", kmsKeyArn: KEY_ARN },
      },
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:glue:SecurityConfiguration "lake-glue-security": encryptionConfiguration.jobBookmarksEncryption.jobBookmarksEncryptionMode is "DISABLED"; it must be "CSE-KMS".',
    ]);
  });
});

describe("glue-crawler-no-schedule-and-lf-credentials", () => {
  const p = glueCrawlerOnDemandWithLfCredentials;

  it("passes an on-demand crawler with LF credentials over exact paths", async () => {
    assert.deepEqual(await resourceViolations(p, fx.crawler()), []);
  });

  it("rejects a schedule", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.crawler(), { schedule: "cron(0 1 * * ? *)" })), [
      'aws:glue:Crawler "lake-raw-crawler": schedule is "cron(0 1 * * ? *)"; crawlers run on demand only.',
    ]);
  });

  it("rejects crawling without Lake Formation credentials", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.crawler(), { lakeFormationConfiguration: undefined })), [
      'aws:glue:Crawler "lake-raw-crawler": lakeFormationConfiguration.useLakeFormationCredentials is unset; it must be true.',
    ]);
  });

  it("rejects wildcard include paths (customer vs customer_address)", async () => {
    const spec = withProps(fx.crawler(), {
      s3Targets: [{ path: `s3://${RAW_BUCKET}/raw/sales/customer*` }, { path: `s3://${RAW_BUCKET}/raw/sales/{a,b}/` }],
      jdbcTargets: [{ connectionName: "lake-dev-source", path: "shop/customer%" }],
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      `aws:glue:Crawler "lake-raw-crawler": s3Targets[0].path "s3://${RAW_BUCKET}/raw/sales/customer*" contains wildcard "*"; use the exact table path.`,
      `aws:glue:Crawler "lake-raw-crawler": s3Targets[1].path "s3://${RAW_BUCKET}/raw/sales/{a,b}/" contains wildcard "{"; use the exact table path.`,
      'aws:glue:Crawler "lake-raw-crawler": jdbcTargets[0].path "shop/customer%" contains wildcard "%"; use the exact table path.',
    ]);
  });
});

describe("glue-connection-no-password", () => {
  const p = glueConnectionNoPassword;

  it("passes a JDBC connection that uses SECRET_ID", async () => {
    assert.deepEqual(await resourceViolations(p, fx.glueConnection()), []);
  });

  it("sees through secret-wrapped connectionProperties, as the runtime unwraps them", async () => {
    const props = fx.glueConnection().props["connectionProperties"] as Record<string, unknown>;
    assert.deepEqual(await resourceViolations(p, withProps(fx.glueConnection(), { connectionProperties: secret(props) })), []);
    const leaked = secret({ ...props, PASSWORD: "hunter2" });
    assert.match(
      (await resourceViolations(p, withProps(fx.glueConnection(), { connectionProperties: leaked })))[0],
      /connectionProperties has key "PASSWORD"/,
    );
  });

  it("rejects USERNAME/PASSWORD keys and a missing SECRET_ID", async () => {
    const spec = withProps(fx.glueConnection(), {
      connectionProperties: { JDBC_CONNECTION_URL: "jdbc:mysql://db:3306/shop", USERNAME: "etl", PASSWORD: "hunter2" },
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      // (the engine's protobuf Struct delivers keys sorted)
      'aws:glue:Connection "lake-source": connectionProperties has key "PASSWORD"; keep credentials in Secrets Manager and set SECRET_ID.',
      'aws:glue:Connection "lake-source": connectionProperties has key "USERNAME"; keep credentials in Secrets Manager and set SECRET_ID.',
      'aws:glue:Connection "lake-source": connectionProperties.SECRET_ID is unset; a JDBC connection takes its credentials from Secrets Manager.',
    ]);
  });

  it("rejects a password inside the JDBC URL", async () => {
    const spec = withProps(fx.glueConnection(), {
      connectionProperties: { JDBC_CONNECTION_URL: "jdbc:mysql://db:3306/shop?user=etl&password=hunter2", SECRET_ID: "lake/dev/source" },
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:glue:Connection "lake-source": connectionProperties.JDBC_CONNECTION_URL contains a password; remove it and use SECRET_ID.',
    ]);
  });

  it("accepts a secret ARN that is unknown during preview", async () => {
    const spec = withProps(fx.glueConnection(), {
      connectionProperties: { JDBC_CONNECTION_URL: "jdbc:mysql://db:3306/shop", SECRET_ID: UNKNOWN.string },
    });
    assert.deepEqual((await validateResource(p, spec)).diagnostics, []);
  });
});

describe("glue-connection-in-vpc", () => {
  const p = glueConnectionInVpc;

  it("passes a JDBC connection with subnet and security group", async () => {
    assert.deepEqual(await resourceViolations(p, fx.glueConnection()), []);
  });

  it("rejects a JDBC connection outside the VPC", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.glueConnection(), { physicalConnectionRequirements: undefined })), [
      'aws:glue:Connection "lake-source": physicalConnectionRequirements is unset; set subnetId and securityGroupIdLists from stack config.',
    ]);
    const v = await resourceViolations(
      p,
      withProps(fx.glueConnection(), { physicalConnectionRequirements: { availabilityZone: "eu-central-1a", securityGroupIdLists: [] } }),
    );
    assert.deepEqual(v, [
      'aws:glue:Connection "lake-source": physicalConnectionRequirements.subnetId is unset.',
      'aws:glue:Connection "lake-source": physicalConnectionRequirements.securityGroupIdLists is empty.',
    ]);
  });

  it("is not applicable to non-JDBC connections", async () => {
    const result = await validateResource(
      p,
      withProps(fx.glueConnection(), { connectionType: "NETWORK", physicalConnectionRequirements: undefined }),
    );
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.notApplicable[0]?.reason, "Only JDBC connections reach the source database");
  });
});

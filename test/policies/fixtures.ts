// A compliant governed lake, resource by resource, as the policies see it. Each factory returns a
// fresh object so tests can change one field and expect exactly one policy to object.
//
// The shapes follow @pulumi/aws 7.48 argument names; the components should produce the same.

import * as aws from "@pulumi/aws";
import type { ResourceSpec } from "./harness";

export const ACCOUNT = "123456789012";
export const KEY_ARN = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
export const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:role/lake-admin`;
export const ANALYST_ARN = `arn:aws:iam::${ACCOUNT}:role/lake-sales-analyst`;
export const JOB_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lake-ingest-job`;
export const DATA_ACCESS_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lake-data-access`;
export const RULE_ARN = `arn:aws:events:eu-central-1:${ACCOUNT}:rule/lake-glue-job-state`;
export const RAW_BUCKET = "lake-raw-dev-a1b2c3";
export const DLQ_ARN = `arn:aws:sqs:eu-central-1:${ACCOUNT}:lake-delivery-dead-letters`;
export const FAILED_INVOCATIONS_ARN = `arn:aws:sqs:eu-central-1:${ACCOUNT}:lake-failed-invocations`;

/** The stack the fixtures' URNs name (the harness default). */
export const STACK = "dev";
export const TAGS = { lake: "governed-lake", environment: STACK, "managed-by": "pulumi" };

export function tlsOnlyPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "AllowIngestJob",
        Effect: "Allow",
        Principal: { AWS: JOB_ROLE_ARN },
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
    ],
  });
}

export const fx = {
  storageComponent: (): ResourceSpec => ({ type: "lake:index:LakeStorage", name: "lake-storage", props: {} }),
  kmsKey: (): ResourceSpec => ({
    type: aws.kms.Key,
    name: "lake-key",
    props: { description: "governed lake", enableKeyRotation: true, deletionWindowInDays: 30, tags: { ...TAGS } },
  }),
  bucket: (name = "lake-raw", bucket = RAW_BUCKET): ResourceSpec => ({
    type: aws.s3.Bucket,
    name,
    parent: "lake-storage",
    props: { bucket, tags: { ...TAGS } },
  }),
  sse: (name = "lake-raw-sse", bucket = RAW_BUCKET): ResourceSpec => ({
    type: aws.s3.BucketServerSideEncryptionConfiguration,
    name,
    parent: "lake-storage",
    props: {
      bucket,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }],
    },
  }),
  publicAccessBlock: (name = "lake-raw-pab", bucket = RAW_BUCKET): ResourceSpec => ({
    type: aws.s3.BucketPublicAccessBlock,
    name,
    parent: "lake-storage",
    props: { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  }),
  versioning: (name = "lake-raw-versioning", bucket = RAW_BUCKET): ResourceSpec => ({
    type: aws.s3.BucketVersioning,
    name,
    parent: "lake-storage",
    props: { bucket, versioningConfiguration: { status: "Enabled" } },
  }),
  bucketPolicy: (name = "lake-raw-policy", bucket = RAW_BUCKET): ResourceSpec => ({
    type: aws.s3.BucketPolicy,
    name,
    parent: "lake-storage",
    props: { bucket, policy: tlsOnlyPolicy(bucket) },
  }),
  lifecycle: (name = "lake-raw-lifecycle", bucket = RAW_BUCKET): ResourceSpec => ({
    type: aws.s3.BucketLifecycleConfiguration,
    name,
    parent: "lake-storage",
    props: {
      bucket,
      rules: [{ id: "expire-noncurrent", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } }],
    },
  }),
  glueSecurityConfiguration: (): ResourceSpec => ({
    type: aws.glue.SecurityConfiguration,
    name: "lake-glue-security",
    props: {
      name: "lake-dev",
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: KEY_ARN },
        cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY_ARN },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY_ARN },
      },
    },
  }),
  glueConnection: (): ResourceSpec => ({
    type: aws.glue.Connection,
    name: "lake-source",
    props: {
      name: "lake-dev-source",
      connectionType: "JDBC",
      connectionProperties: {
        JDBC_CONNECTION_URL: "jdbc:mysql://db.internal.example:3306/shop",
        SECRET_ID: "lake/dev/source",
      },
      physicalConnectionRequirements: {
        availabilityZone: "eu-central-1a",
        subnetId: "subnet-0abc",
        securityGroupIdLists: ["sg-0abc"],
      },
      tags: { ...TAGS },
    },
  }),
  glueJob: (name = "lake-ingest-daily"): ResourceSpec => ({
    type: aws.glue.Job,
    name,
    props: {
      roleArn: JOB_ROLE_ARN,
      command: { name: "glueetl", scriptLocation: "s3://lake-artifacts/ingest.py", pythonVersion: "3" },
      glueVersion: "5.0",
      workerType: "G.1X",
      numberOfWorkers: 4,
      securityConfiguration: "lake-dev",
      connections: ["lake-dev-source"],
      defaultArguments: { "--job-bookmark-option": "job-bookmark-disable", "--datalake-formats": "iceberg" },
      tags: { ...TAGS },
    },
  }),
  crawler: (): ResourceSpec => ({
    type: aws.glue.Crawler,
    name: "lake-raw-crawler",
    props: {
      databaseName: "sales_raw",
      role: JOB_ROLE_ARN,
      securityConfiguration: "lake-dev",
      lakeFormationConfiguration: { useLakeFormationCredentials: true },
      s3Targets: [{ path: `s3://${RAW_BUCKET}/raw/sales/customer/` }, { path: `s3://${RAW_BUCKET}/raw/sales/customer_address/` }],
      tags: { ...TAGS },
    },
  }),
  catalogDatabase: (): ResourceSpec => ({
    type: aws.glue.CatalogDatabase,
    name: "lake-sales-db",
    props: { name: "sales", tags: { ...TAGS } },
    dependencies: ["lake-settings"],
  }),
  dataLakeSettings: (): ResourceSpec => ({
    type: aws.lakeformation.DataLakeSettings,
    name: "lake-settings",
    props: {
      admins: [ADMIN_ARN],
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      allowExternalDataFiltering: false,
      allowFullTableExternalDataAccess: false,
    },
  }),
  lfTagDomain: (): ResourceSpec => ({
    type: aws.lakeformation.LfTag,
    name: "lf-domain",
    props: { key: "domain", values: ["sales", "manufacturing", "finance"] },
    dependencies: ["lake-settings"],
  }),
  lfTagPii: (): ResourceSpec => ({
    type: aws.lakeformation.LfTag,
    name: "lf-pii",
    props: { key: "pii", values: ["true", "false"] },
    dependencies: ["lake-settings"],
  }),
  grantByTag: (): ResourceSpec => ({
    type: aws.lakeformation.Permissions,
    name: "grant-sales-analyst-select",
    props: {
      principal: ANALYST_ARN,
      permissions: ["SELECT", "DESCRIBE"],
      lfTagPolicy: {
        resourceType: "TABLE",
        expressions: [
          { key: "domain", values: ["sales"] },
          { key: "pii", values: ["false"] },
        ],
      },
    },
    dependencies: ["lake-settings", "lf-domain", "lf-pii"],
  }),
  grantDatabase: (): ResourceSpec => ({
    type: aws.lakeformation.Permissions,
    name: "grant-job-create-table",
    props: { principal: JOB_ROLE_ARN, permissions: ["CREATE_TABLE", "DESCRIBE"], database: { name: "sales" } },
    dependencies: ["lake-settings", "lake-ingest-job-role"],
    propertyDependencies: { principal: ["lake-ingest-job-role"] },
  }),
  grantLocation: (): ResourceSpec => ({
    type: aws.lakeformation.Permissions,
    name: "grant-job-location",
    props: {
      principal: JOB_ROLE_ARN,
      permissions: ["DATA_LOCATION_ACCESS"],
      dataLocation: { arn: `arn:aws:s3:::${RAW_BUCKET}` },
    },
    dependencies: ["lake-settings", "lake-ingest-job-role"],
    propertyDependencies: { principal: ["lake-ingest-job-role"] },
  }),
  lfLocation: (): ResourceSpec => ({
    type: aws.lakeformation.Resource,
    name: "lake-raw-location",
    props: { arn: `arn:aws:s3:::${RAW_BUCKET}`, roleArn: DATA_ACCESS_ROLE_ARN },
    dependencies: ["lake-settings"],
  }),
  schedule: (): ResourceSpec => ({
    type: aws.scheduler.Schedule,
    name: "tier-15min",
    props: {
      scheduleExpression: "cron(0/15 7-18 ? * MON-FRI *)",
      scheduleExpressionTimezone: "Europe/Berlin",
      flexibleTimeWindow: { mode: "OFF" },
      target: {
        arn: `arn:aws:lambda:eu-central-1:${ACCOUNT}:function:lake-coordinator`,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/lake-scheduler`,
        input: JSON.stringify({ tier: "15min" }),
        deadLetterConfig: { arn: DLQ_ARN },
      },
    },
  }),
  lambdaFunction: (): ResourceSpec => ({
    type: aws.lambda.Function,
    name: "lake-coordinator",
    props: {
      name: "lake-coordinator",
      role: `arn:aws:iam::${ACCOUNT}:role/lake-coordinator`,
      runtime: "nodejs20.x",
      handler: "index.handler",
      reservedConcurrentExecutions: 10,
      tags: { ...TAGS },
    },
  }),
  invokeConfig: (): ResourceSpec => ({
    type: aws.lambda.FunctionEventInvokeConfig,
    name: "lake-coordinator-async",
    props: { functionName: "lake-coordinator", destinationConfig: { onFailure: { destination: FAILED_INVOCATIONS_ARN } } },
    dependencies: ["lake-coordinator"],
  }),
  eventTarget: (): ResourceSpec => ({
    type: aws.cloudwatch.EventTarget,
    name: "lake-glue-job-state-target",
    props: {
      rule: "lake-glue-job-state",
      arn: `arn:aws:lambda:eu-central-1:${ACCOUNT}:function:lake-coordinator`,
      deadLetterConfig: { arn: DLQ_ARN },
    },
  }),
  keyPolicy: (): ResourceSpec => ({
    type: aws.kms.KeyPolicy,
    name: "lake-key-policy",
    props: {
      keyId: "11111111-2222-3333-4444-555555555555",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "Admin",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: ["kms:Describe*", "kms:Put*"],
            Resource: "*",
          },
          {
            Sid: "JobThroughS3",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: {
              StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
              ArnEquals: { "aws:PrincipalArn": [JOB_ROLE_ARN] },
            },
          },
          {
            Sid: "Logs",
            Effect: "Allow",
            Principal: { Service: "logs.eu-central-1.amazonaws.com" },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-central-1:${ACCOUNT}:*` } },
          },
        ],
      }),
    },
  }),
  rolePolicy: (): ResourceSpec => ({
    type: aws.iam.RolePolicy,
    name: "lake-ingest-job-policy",
    props: {
      role: "lake-ingest-job",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `arn:aws:s3:::${RAW_BUCKET}/raw/*` },
          { Effect: "Allow", Action: ["ec2:DescribeSubnets"], Resource: "*" },
        ],
      }),
    },
  }),
  lambdaPermission: (): ResourceSpec => ({
    type: aws.lambda.Permission,
    name: "lake-coordinator-events",
    props: { action: "lambda:InvokeFunction", function: "lake-coordinator", principal: "events.amazonaws.com", sourceArn: RULE_ARN },
  }),
  functionUrl: (): ResourceSpec => ({
    type: aws.lambda.FunctionUrl,
    name: "lake-coordinator-url",
    props: { functionName: "lake-coordinator", authorizationType: "AWS_IAM" },
  }),
  stateTable: (): ResourceSpec => ({
    type: aws.dynamodb.Table,
    name: "lake-state",
    props: {
      billingMode: "PAY_PER_REQUEST",
      hashKey: "table_id",
      attributes: [{ name: "table_id", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
      tags: { ...TAGS },
    },
  }),
  workgroup: (): ResourceSpec => ({
    type: aws.athena.Workgroup,
    name: "lake-analysts",
    props: {
      name: "lake-dev-analysts",
      configuration: {
        enforceWorkgroupConfiguration: true,
        resultConfiguration: {
          outputLocation: "s3://lake-athena-results-dev/",
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY_ARN },
        },
      },
      tags: { ...TAGS },
    },
  }),
  role: (): ResourceSpec => ({
    type: aws.iam.Role,
    name: "lake-ingest-job-role",
    props: {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "glue.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ],
      }),
      tags: { ...TAGS },
    },
  }),
  topic: (): ResourceSpec => ({ type: aws.sns.Topic, name: "lake-alerts", props: { kmsMasterKeyId: KEY_ARN, tags: { ...TAGS } } }),
  eventRule: (): ResourceSpec => ({
    type: aws.cloudwatch.EventRule,
    name: "lake-glue-job-state",
    props: { eventPattern: JSON.stringify({ account: [ACCOUNT], source: ["aws.glue"] }), tags: { ...TAGS } },
  }),
  alarm: (): ResourceSpec => ({
    type: aws.cloudwatch.MetricAlarm,
    name: "lake-skipped-tables",
    props: {
      comparisonOperator: "GreaterThanThreshold",
      evaluationPeriods: 1,
      metricName: "SkippedTables",
      namespace: "Lake",
      period: 900,
      statistic: "Sum",
      threshold: 0,
      tags: { ...TAGS },
    },
  }),
  logGroup: (): ResourceSpec => ({
    type: aws.cloudwatch.LogGroup,
    name: "lake-coordinator-logs",
    props: { retentionInDays: 30, kmsKeyId: KEY_ARN, tags: { ...TAGS } },
  }),
};

/** Every compliant resource of the lake, as one stack. */
export function compliantLake(): ResourceSpec[] {
  return [
    fx.storageComponent(),
    fx.kmsKey(),
    fx.bucket(),
    fx.sse(),
    fx.publicAccessBlock(),
    fx.versioning(),
    fx.bucketPolicy(),
    fx.lifecycle(),
    fx.glueSecurityConfiguration(),
    fx.glueConnection(),
    fx.glueJob(),
    fx.glueJob("lake-ingest-15min"),
    fx.crawler(),
    fx.catalogDatabase(),
    fx.dataLakeSettings(),
    fx.lfTagDomain(),
    fx.lfTagPii(),
    fx.grantByTag(),
    fx.grantDatabase(),
    fx.grantLocation(),
    fx.lfLocation(),
    fx.schedule(),
    fx.lambdaFunction(),
    fx.invokeConfig(),
    fx.eventTarget(),
    fx.keyPolicy(),
    fx.rolePolicy(),
    fx.lambdaPermission(),
    fx.functionUrl(),
    fx.stateTable(),
    fx.workgroup(),
    fx.role(),
    fx.topic(),
    fx.eventRule(),
    fx.alarm(),
    fx.logGroup(),
  ];
}

/** A copy of `spec` with `props` shallow-merged (use undefined to remove a field). */
export function withProps(spec: ResourceSpec, props: Record<string, unknown>): ResourceSpec {
  return { ...spec, props: { ...spec.props, ...props } };
}

/**
 * ServiceRoles: the lake's service identities and Glue's security configuration.
 * - dataAccessRole: assumed by Lake Formation to vend credentials for registered S3
 *   locations (a dedicated role, not the service-linked one).
 * - ingestJobRole: the Glue ingest jobs; reads the scripts bucket and the source secret,
 *   writes the raw and warehouse zones through Lake Formation, commits table state.
 * - crawlerRole: the raw-zone crawlers, with Lake Formation credentials.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { objectArns, policyDocument, serviceTrustPolicy, type LakeTags, type PolicyStatement } from "./common";
import type { LakeStorage } from "./lakeStorage";

export interface ServiceRolesArgs {
  readonly tags: LakeTags;
  readonly storage: LakeStorage;
  /** ARN of the Secrets Manager secret holding the source credentials. */
  readonly sourceSecretArn: pulumi.Input<string>;
  /** Prefix of the lake's catalog databases: catalog permissions stop at them. */
  readonly databasePrefix: string;
  /** The state table the jobs commit watermarks to. */
  readonly stateTableArn: pulumi.Input<string>;
}

export class ServiceRoles extends pulumi.ComponentResource {
  readonly dataAccessRole: aws.iam.Role;
  readonly ingestJobRole: aws.iam.Role;
  readonly crawlerRole: aws.iam.Role;
  readonly securityConfiguration: aws.glue.SecurityConfiguration;

  constructor(name: string, args: ServiceRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:security:ServiceRoles", name, {}, opts);
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const { buckets, keyArn } = args.storage;
    const kmsUse = {
      Effect: "Allow" as const,
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: keyArn,
    };

    const lakeCatalog = [
      pulumi.interpolate`arn:aws:glue:${region}:${account}:catalog`,
      pulumi.interpolate`arn:aws:glue:${region}:${account}:database/${args.databasePrefix}_*`,
      pulumi.interpolate`arn:aws:glue:${region}:${account}:table/${args.databasePrefix}_*/*`,
    ];
    // Both the jobs and the crawlers create and evolve tables; Lake Formation vends their data access.
    const createAndUpdateTables = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable"];
    const lakeFormationCredentials: PolicyStatement = {
      Sid: "LakeFormationCredentials",
      Effect: "Allow",
      Action: ["lakeformation:GetDataAccess"],
      Resource: "*",
    };
    const glueLogs: PolicyStatement = {
      Sid: "GlueLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
      Resource: pulumi.interpolate`arn:aws:logs:${region}:${account}:log-group:/aws-glue/*`,
    };

    this.dataAccessRole = new aws.iam.Role(
      `${name}-data-access`,
      {
        description: "Lake Formation data access for the lake's registered S3 locations",
        assumeRolePolicy: serviceTrustPolicy("lakeformation.amazonaws.com", account),
        tags: args.tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-data-access-policy`,
      {
        role: this.dataAccessRole.id,
        policy: policyDocument([
          { Effect: "Allow", Action: ["s3:ListBucket"], Resource: [buckets.raw.arn, buckets.warehouse.arn] },
          {
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: pulumi
              .all([objectArns(buckets.raw.arn, ["raw/"]), objectArns(buckets.warehouse.arn, ["warehouse/"])])
              .apply(([a, b]) => [...a, ...b]),
          },
          kmsUse,
        ]),
      },
      { parent: this.dataAccessRole },
    );

    this.ingestJobRole = new aws.iam.Role(
      `${name}-ingest-job`,
      { description: "Glue ingest jobs of the lake", assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", account), tags: args.tags },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-ingest-job-policy`,
      {
        role: this.ingestJobRole.id,
        policy: policyDocument([
          {
            Sid: "ReadJobCodeAndManifests",
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: objectArns(buckets.scripts.arn, ["jobs/", "manifests/"]),
          },
          {
            Sid: "WriteJobResultsAndTemp",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
            Resource: objectArns(buckets.scripts.arn, ["results/", "temp/"]),
          },
          {
            Sid: "ListLakeBuckets",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [buckets.scripts.arn, buckets.raw.arn, buckets.warehouse.arn],
          },
          {
            Sid: "WriteRawBatchesAndIceberg",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: pulumi
              .all([objectArns(buckets.raw.arn, ["raw/"]), objectArns(buckets.warehouse.arn, ["warehouse/"])])
              .apply(([a, b]) => [...a, ...b]),
          },
          lakeFormationCredentials,
          {
            Sid: "CatalogThroughLakeFormation",
            Effect: "Allow",
            Action: [...createAndUpdateTables, "glue:GetPartitions", "glue:GetConnection"],
            Resource: [...lakeCatalog, pulumi.interpolate`arn:aws:glue:${region}:${account}:connection/*`],
          },
          { Sid: "SourceCredentials", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: args.sourceSecretArn },
          { Sid: "CommitTableState", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: args.stateTableArn },
          {
            Sid: "ConnectionNetworking",
            Effect: "Allow",
            Action: [
              "ec2:DescribeSubnets",
              "ec2:DescribeSecurityGroups",
              "ec2:DescribeVpcEndpoints",
              "ec2:DescribeRouteTables",
              "ec2:DescribeNetworkInterfaces",
              "ec2:CreateNetworkInterface",
              "ec2:DeleteNetworkInterface",
              "ec2:CreateTags",
              "ec2:DeleteTags",
            ],
            Resource: "*",
          },
          glueLogs,
          {
            Sid: "JobMetrics",
            Effect: "Allow",
            Action: ["cloudwatch:PutMetricData"],
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": "Glue" } },
          },
          kmsUse,
        ]),
      },
      { parent: this.ingestJobRole },
    );

    this.crawlerRole = new aws.iam.Role(
      `${name}-crawler`,
      {
        description: "Raw-zone crawlers of the lake (Lake Formation credentials)",
        assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", account),
        tags: args.tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-crawler-policy`,
      {
        role: this.crawlerRole.id,
        policy: policyDocument([
          lakeFormationCredentials,
          {
            Sid: "RawCatalog",
            Effect: "Allow",
            Action: [
              ...createAndUpdateTables,
              "glue:BatchGetPartition",
              "glue:BatchCreatePartition",
              "glue:BatchUpdatePartition",
              "glue:GetPartitions",
            ],
            Resource: lakeCatalog,
          },
          glueLogs,
          kmsUse,
        ]),
      },
      { parent: this.crawlerRole },
    );

    this.securityConfiguration = new aws.glue.SecurityConfiguration(
      `${name}-glue-security`,
      {
        encryptionConfiguration: {
          s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: keyArn },
          cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: keyArn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: keyArn },
        },
      },
      parent,
    );

    this.registerOutputs({
      dataAccessRoleArn: this.dataAccessRole.arn,
      ingestJobRoleArn: this.ingestJobRole.arn,
      crawlerRoleArn: this.crawlerRole.arn,
      securityConfiguration: this.securityConfiguration.name,
    });
  }
}

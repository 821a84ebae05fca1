/**
 * ServiceRoles: the lake's service identities and Glue's security configuration.
 * - dataAccessRole: assumed by Lake Formation to vend credentials for registered S3
 *   locations (a dedicated role, not the service-linked one).
 * - ingestJobRole: the Glue ingest jobs; reads the scripts bucket and the source secret,
 *   writes the raw and warehouse zones with its own IAM permissions (docs/security/job-writes.md),
 *   reads only the lake's Glue connection, commits table state.
 * - crawlerRoles: one per domain for its raw-zone crawler, with Lake Formation credentials and
 *   catalog access to that domain's raw database only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { catalogDatabaseName } from "../model";
import { objectArns, policyDocument, serviceTrustPolicy, type LakeTags, type PolicyStatement } from "./common";
import type { LakeStorageRef } from "./references";
import type { SourceNetwork } from "./sourceConnection";

export interface ServiceRolesArgs {
  /** Tags on every role (crawler roles add `domain`). */
  readonly tags: LakeTags;
  /**
   * The lake's key and the raw, warehouse and scripts buckets, by reference (a LakeStorage, or an
   * existing estate's names and ARNs): the roles' S3 and KMS permissions name exactly these.
   */
  readonly storage: LakeStorageRef<"raw" | "warehouse" | "scripts">;
  /** ARN of the Secrets Manager secret holding the source credentials (a name's ARN may end in `-??????`). */
  readonly sourceSecretArn: pulumi.Input<string>;
  /** Prefix of the lake's catalog databases: catalog permissions stop at `<prefix>_*`. */
  readonly databasePrefix: string;
  /** ARN of the state table the jobs commit watermarks to (Coordinator.stateTable, or an existing one). */
  readonly stateTableArn: pulumi.Input<string>;
  /** Name of the lake's Glue connection: the only one the job may read. */
  readonly connectionName: pulumi.Input<string>;
  /** Subnet and security groups the connection's network interfaces are created in. */
  readonly network: SourceNetwork;
  /** Domains: one crawler role each. */
  readonly domains: readonly string[];
}

/** The tag Glue puts on the network interfaces and security groups it manages (AWSGlueServiceRole). */
const GLUE_NETWORK_TAG = "aws-glue-service-resource";

export class ServiceRoles extends pulumi.ComponentResource {
  readonly dataAccessRole: aws.iam.Role;
  readonly ingestJobRole: aws.iam.Role;
  readonly crawlerRoles: Readonly<Record<string, aws.iam.Role>>;
  readonly securityConfiguration: aws.glue.SecurityConfiguration;

  constructor(name: string, args: ServiceRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:security:ServiceRoles", name, {}, opts);
    const parent = { parent: this };
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const { buckets, keyArn } = args.storage;
    const ec2Arn = (kind: string, id: pulumi.Input<string>): pulumi.Output<string> =>
      pulumi.interpolate`arn:aws:ec2:${region}:${account}:${kind}/${id}`;
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
          {
            // IAM-mode writer (docs/security/job-writes.md): S3 with its own role above, catalog
            // calls checked by Lake Formation grants; no Lake Formation credential vending.
            Sid: "LakeCatalog",
            Effect: "Allow",
            Action: [...createAndUpdateTables, "glue:GetPartitions"],
            Resource: lakeCatalog,
          },
          {
            // The connection carries the source's secret id: only the lake's own connection.
            Sid: "LakeConnectionOnly",
            Effect: "Allow",
            Action: ["glue:GetConnection"],
            Resource: [
              pulumi.interpolate`arn:aws:glue:${region}:${account}:catalog`,
              pulumi.interpolate`arn:aws:glue:${region}:${account}:connection/${args.connectionName}`,
            ],
          },
          { Sid: "SourceCredentials", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: args.sourceSecretArn },
          { Sid: "CommitTableState", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: args.stateTableArn },
          {
            // Describe calls support no resource-level permissions.
            Sid: "ConnectionNetworkingDescribe",
            Effect: "Allow",
            Action: [
              "ec2:DescribeSubnets",
              "ec2:DescribeSecurityGroups",
              "ec2:DescribeVpcEndpoints",
              "ec2:DescribeRouteTables",
              "ec2:DescribeNetworkInterfaces",
              "ec2:DescribeVpcAttribute",
            ],
            Resource: "*",
          },
          {
            Sid: "ConnectionNetworkInterfacesInLakeSubnet",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterface"],
            Resource: [
              ec2Arn("subnet", args.network.subnetId),
              ...args.network.securityGroupIds.map((g) => ec2Arn("security-group", g)),
              ec2Arn("network-interface", "*"),
            ],
          },
          {
            Sid: "DeleteNetworkInterfacesOfLakeSubnet",
            Effect: "Allow",
            Action: ["ec2:DeleteNetworkInterface"],
            Resource: ec2Arn("network-interface", "*"),
            Condition: { ArnEquals: { "ec2:Subnet": ec2Arn("subnet", args.network.subnetId) } },
          },
          {
            // As AWSGlueServiceRole: Glue may only set and remove its own marker tag.
            Sid: "GlueNetworkTagsOnly",
            Effect: "Allow",
            Action: ["ec2:CreateTags", "ec2:DeleteTags"],
            Resource: [ec2Arn("network-interface", "*"), ec2Arn("security-group", "*"), ec2Arn("instance", "*")],
            Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [GLUE_NETWORK_TAG] } },
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

    // One role per domain: a crawler can only catalog its own domain's raw database. Its data
    // access comes from Lake Formation (the data-access role's credentials), so no S3 or key use.
    const crawlerRoles: Record<string, aws.iam.Role> = {};
    for (const domain of args.domains) {
      const rawDatabase = catalogDatabaseName(args.databasePrefix, domain, "raw");
      const role = new aws.iam.Role(
        `${name}-crawler-${domain}`,
        {
          description: `Raw-zone crawler of domain ${domain} (Lake Formation credentials)`,
          assumeRolePolicy: serviceTrustPolicy("glue.amazonaws.com", account),
          tags: { ...args.tags, domain },
        },
        parent,
      );
      new aws.iam.RolePolicy(
        `${name}-crawler-${domain}-policy`,
        {
          role: role.id,
          policy: policyDocument([
            lakeFormationCredentials,
            {
              Sid: "OwnRawDatabaseOnly",
              Effect: "Allow",
              Action: [
                ...createAndUpdateTables,
                "glue:BatchGetPartition",
                "glue:BatchCreatePartition",
                "glue:BatchUpdatePartition",
                "glue:GetPartitions",
              ],
              Resource: [
                pulumi.interpolate`arn:aws:glue:${region}:${account}:catalog`,
                pulumi.interpolate`arn:aws:glue:${region}:${account}:database/${rawDatabase}`,
                pulumi.interpolate`arn:aws:glue:${region}:${account}:table/${rawDatabase}/*`,
              ],
            },
            glueLogs,
          ]),
        },
        { parent: role },
      );
      crawlerRoles[domain] = role;
    }
    this.crawlerRoles = crawlerRoles;

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
      crawlerRoleArns: Object.fromEntries(Object.entries(crawlerRoles).map(([d, r]) => [d, r.arn])),
      securityConfiguration: this.securityConfiguration.name,
    });
  }
}

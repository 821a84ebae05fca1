/**
 * AnalystWorkgroup: the Athena workgroup of one access rule, with an enforced, encrypted result
 * prefix of its own. Results of a PII-cleared role never land where another role can read them:
 * the results bucket's policy keeps the prefix to the rule's principal (LakeStorage), and
 * `identityPolicy` is the policy to attach to that principal so it may use only its workgroup
 * (Athena has no resource policies; workgroup use is decided by the caller's identity policy).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, type LakeTags } from "./common";
import { ANALYST_WORKGROUP_DEFAULTS } from "./defaults";

export interface AnalystWorkgroupArgs {
  /** Tags on the workgroup (it adds `access-rule`). */
  readonly tags: LakeTags;
  /** Physical workgroup name. */
  readonly workgroupName: string;
  /** Access rule (tables.yaml role name) the workgroup belongs to; names its result prefix `results/<rule>/`. */
  readonly rule: string;
  /** IAM principal of the rule: the only one that reads and writes the result prefix. */
  readonly principalArn: pulumi.Input<string>;
  /** Name of the Athena results bucket (LakeStorage.buckets.athena.name, or an existing one). */
  readonly resultsBucketName: pulumi.Input<string>;
  /** ARN of the Athena results bucket. */
  readonly resultsBucketArn: pulumi.Input<string>;
  /** ARN of the KMS key results are encrypted with (SSE-KMS, enforced by the workgroup). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Per-query scan limit in bytes, a guard against runaway costs.
   * @default 1099511627776 ({@link ANALYST_WORKGROUP_DEFAULTS}: 1 TiB)
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/** The result prefix of an access rule in the results bucket. */
export function resultsPrefix(rule: string): string {
  return `results/${rule}/`;
}

export class AnalystWorkgroup extends pulumi.ComponentResource {
  readonly workgroup: aws.athena.Workgroup;
  readonly workgroupName: pulumi.Output<string>;
  readonly resultsPrefix: string;
  /** Identity policy for the rule's principal: its workgroup, its result prefix, Lake Formation reads. */
  readonly identityPolicy: pulumi.Output<string>;

  constructor(name: string, args: AnalystWorkgroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:analytics:AnalystWorkgroup", name, {}, opts);
    this.resultsPrefix = resultsPrefix(args.rule);
    this.workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: args.workgroupName,
        description: `Queries of access rule ${args.rule} on the governed lake (Lake Formation decides what it sees)`,
        state: "ENABLED",
        forceDestroy: false,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery ?? ANALYST_WORKGROUP_DEFAULTS.bytesScannedCutoffPerQuery,
          engineVersion: { selectedEngineVersion: "Athena engine version 3" },
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${args.resultsBucketName}/${this.resultsPrefix}`,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.kmsKeyArn },
          },
        },
        tags: { ...args.tags, "access-rule": args.rule },
      },
      { parent: this },
    );
    this.workgroupName = this.workgroup.name;
    this.identityPolicy = policyDocument([
      {
        Sid: "OwnWorkgroupOnly",
        Effect: "Allow",
        Action: [
          "athena:StartQueryExecution",
          "athena:StopQueryExecution",
          "athena:GetQueryExecution",
          "athena:GetQueryResults",
          "athena:GetQueryResultsStream",
          "athena:BatchGetQueryExecution",
          "athena:ListQueryExecutions",
          "athena:GetWorkGroup",
        ],
        Resource: this.workgroup.arn,
      },
      {
        Sid: "OwnResultPrefixOnly",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: pulumi.interpolate`${args.resultsBucketArn}/${this.resultsPrefix}*`,
      },
      {
        Sid: "ListOwnResultPrefix",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: args.resultsBucketArn,
        Condition: { StringLike: { "s3:prefix": [`${this.resultsPrefix}*`] } },
      },
      { Sid: "ResultsBucketLocation", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: args.resultsBucketArn },
      // Lake Formation grants decide the tables and columns; the data comes through its credentials.
      {
        Sid: "LakeFormationReads",
        Effect: "Allow",
        Action: [
          "lakeformation:GetDataAccess",
          "glue:GetDatabase",
          "glue:GetDatabases",
          "glue:GetTable",
          "glue:GetTables",
          "glue:GetPartitions",
        ],
        Resource: "*",
      },
      // Encrypted results through S3 only (the key policy names the same principal).
      {
        Sid: "ResultEncryption",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: args.kmsKeyArn,
        Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
      },
    ]);
    this.registerOutputs({ workgroupName: this.workgroupName, resultsPrefix: this.resultsPrefix, identityPolicy: this.identityPolicy });
  }
}

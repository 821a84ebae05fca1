/**
 * The lake's resource policies as statements: bucket policies that keep raw/ and warehouse/
 * objects to the data roles and each query-result prefix to its principal, and the key policy
 * that keeps data use of the key to named roles through named services. Lake Formation governs
 * readers only if nobody can read the files around it: these statements close that path.
 * Pure builders; LakeStorage.applyAccessPolicies attaches them.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "./common";
import type { LakeBucketRole } from "./references";

type In<T> = pulumi.Input<T>;

/** The services the key is used through (the kms:ViaService value is `<service>.<region>.amazonaws.com`). */
export type KeyService = "s3" | "dynamodb" | "sns" | "sqs" | "lambda";

export interface QueryResultsAccess {
  /** Key prefix in the results bucket, e.g. "results/finance_analyst/". */
  readonly prefix: string;
  /** The only principal that may read or write objects under it. */
  readonly principalArn: In<string>;
}

export interface LakeDataAccess {
  /**
   * Roles that read and write objects under raw/ and warehouse/: the Lake Formation data-access
   * role (Lake Formation vends credentials of this role to every governed reader and to crawlers
   * with Lake Formation credentials) and the ingest role (the job writes with IAM).
   */
  readonly dataRoleArns: readonly In<string>[];
  /**
   * Roles that may also read raw/ objects with their own credentials.
   * @default [] (none: crawlers read with Lake Formation credentials, i.e. as the data-access role)
   */
  readonly rawReaderRoleArns?: readonly In<string>[];
  /** One result prefix per access rule, each kept to its principal (an empty list: no such statement). */
  readonly queryResults: readonly QueryResultsAccess[];
  /** Principals that use the key, by the service they use it through (a service left out: nobody uses the key through it). */
  readonly keyUsers: Readonly<Partial<Record<KeyService, readonly In<string>[]>>>;
  /**
   * EventBridge rules whose dead-letter queue is encrypted with the key (their events service may encrypt).
   * @default [] (no statement for EventBridge)
   */
  readonly deadLetterRuleArns?: readonly In<string>[];
}

const READ_OBJECTS = ["s3:GetObject", "s3:GetObjectVersion"];
const WRITE_OBJECTS = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"];

function onlyPrincipals(sid: string, actions: string[], resource: In<string>, principals: readonly In<string>[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Deny",
    Principal: "*",
    Action: actions,
    Resource: resource,
    // A request without a principal ARN (an AWS service acting on its own) is denied too.
    Condition: { ArnNotEquals: { "aws:PrincipalArn": [...principals] } },
  };
}

/** Statements of one bucket's policy. */
export function bucketPolicyStatements(
  role: LakeBucketRole,
  bucketArn: pulumi.Output<string>,
  access: LakeDataAccess,
): pulumi.Output<PolicyStatement[]> {
  // Checked before any output resolves, so a bad prefix fails the program where it is declared.
  for (const results of access.queryResults) {
    if (!/^results\/[A-Za-z0-9_.-]+\/$/.test(results.prefix)) {
      throw new Error(`LakeDataAccess.queryResults: prefix "${results.prefix}" must be results/<name>/`);
    }
  }
  return bucketArn.apply((arn) => {
    const statements: PolicyStatement[] = [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": false } },
      },
    ];
    const data = access.dataRoleArns;
    if (role === "raw") {
      statements.push(
        onlyPrincipals("RawReadsOnlyByDataRoles", READ_OBJECTS, `${arn}/raw/*`, [...data, ...(access.rawReaderRoleArns ?? [])]),
        onlyPrincipals("RawWritesOnlyByDataRoles", WRITE_OBJECTS, `${arn}/raw/*`, data),
      );
    }
    if (role === "warehouse") {
      statements.push(onlyPrincipals("WarehouseOnlyByDataRoles", [...READ_OBJECTS, ...WRITE_OBJECTS], `${arn}/warehouse/*`, data));
    }
    if (role === "athena") {
      for (const results of access.queryResults) {
        const sid = `ResultsOnlyFor${results.prefix.slice("results/".length, -1).replace(/[^A-Za-z0-9]/g, "")}`;
        statements.push(onlyPrincipals(sid, [...READ_OBJECTS, ...WRITE_OBJECTS], `${arn}/${results.prefix}*`, [results.principalArn]));
      }
    }
    return statements;
  });
}

/** Key administration without data use (no Encrypt, Decrypt, GenerateDataKey, ReEncrypt or CreateGrant). */
export const KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

const USE_ACTIONS: Readonly<Record<KeyService, string[]>> = {
  s3: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"],
  // DynamoDB also creates a grant for the table's background work.
  dynamodb: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey", "kms:CreateGrant"],
  sns: ["kms:Decrypt", "kms:GenerateDataKey*"],
  sqs: ["kms:Decrypt", "kms:GenerateDataKey*"],
  lambda: ["kms:Decrypt"],
};

/**
 * Statements of the key policy. The account root keeps administration (AWS requires a principal
 * that can manage the key) but gets no data use: every data statement names its principals by
 * aws:PrincipalArn and its service by kms:ViaService.
 */
export function keyPolicyStatements(
  accountId: pulumi.Output<string>,
  region: pulumi.Output<string>,
  access: LakeDataAccess,
): pulumi.Output<PolicyStatement[]> {
  return pulumi.all([accountId, region]).apply(([account, reg]) => {
    const root = { AWS: `arn:aws:iam::${account}:root` };
    const statements: PolicyStatement[] = [
      { Sid: "AccountAdministersKey", Effect: "Allow", Principal: root, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
      {
        // Deployers attach the key to AWS resources (table, function, queue, topic); the service,
        // not the caller, uses the grant.
        Sid: "AccountAttachesKeyToAwsResources",
        Effect: "Allow",
        Principal: root,
        Action: ["kms:CreateGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ];
    for (const service of Object.keys(USE_ACTIONS) as KeyService[]) {
      const users = access.keyUsers[service] ?? [];
      if (users.length === 0) continue;
      statements.push({
        Sid: `DataUseThrough${service.charAt(0).toUpperCase()}${service.slice(1)}`,
        Effect: "Allow",
        Principal: root,
        Action: USE_ACTIONS[service],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": `${service}.${reg}.amazonaws.com`, "kms:CallerAccount": account },
          ArnEquals: { "aws:PrincipalArn": [...users] },
        },
      });
    }
    statements.push(
      {
        Sid: "CloudWatchLogsEncrypt",
        Effect: "Allow",
        Principal: { Service: `logs.${reg}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${reg}:${account}:*` } },
      },
      {
        Sid: "CloudWatchAlarmsPublishToAlertTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${reg}:${account}:alarm:*` },
        },
      },
    );
    const rules = access.deadLetterRuleArns ?? [];
    if (rules.length > 0) {
      statements.push({
        Sid: "EventBridgeDeadLetters",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { ArnEquals: { "aws:SourceArn": [...rules] } },
      });
    }
    return statements;
  });
}

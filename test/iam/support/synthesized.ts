/**
 * The IAM side of the Pulumi program, synthesized offline under Pulumi mocks (stacks/offline.ts,
 * pulumi.runtime.setMocks): every role with its inline policies, the bucket policies and the KMS
 * key policy, with names and ARNs resolved for the offline test account and region. Nothing is
 * copied: whatever the components declare today is what the recorded calls are evaluated against.
 *
 * The mocks hand back ARNs shaped exactly like AWS's for the resources policies name (a DynamoDB
 * table is `table/<name>`, a KMS key `key/<id>`, a Lambda `function:<name>`), so a policy
 * statement built from `resource.arn` matches the ARN the evaluator derives from a request.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID, REGION, parseJson, runWithMocks, type RecordedResource } from "../../../stacks/offline";
import { runLakeProgram } from "../../../stacks/program";
import { stackFileConfig } from "../../fixtures/stackConfig";

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

export interface SynthesizedRole {
  /** Pulumi resource name (stable across runs). */
  readonly resourceName: string;
  readonly roleName: string;
  readonly arn: string;
  readonly policies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  /** Managed policy ARNs attached to the role; their documents are not part of the program. */
  readonly managedPolicyArns: readonly string[];
}

export interface SynthesizedLake {
  readonly accountId: string;
  readonly region: string;
  readonly roles: readonly SynthesizedRole[];
  /** Bucket name -> its bucket policy. */
  readonly bucketPolicies: ReadonlyMap<string, PolicyDocument>;
  readonly kmsKey: { readonly arn: string; readonly policy: PolicyDocument };
  /** Buckets encrypted with the lake's key by default (SSE-KMS). */
  readonly kmsEncryptedBuckets: readonly string[];
  /** Topics encrypted with the lake's key. */
  readonly kmsEncryptedTopics: readonly string[];
  /** The coordinator Lambda: its role ARN and the environment the program gives it. */
  readonly coordinator: { readonly roleArn: string; readonly environment: Readonly<Record<string, string>> };
  /** Tier Glue jobs: name, role ARN, default arguments. */
  readonly jobs: readonly {
    readonly name: string;
    readonly roleArn: string;
    readonly defaultArguments: Readonly<Record<string, string>>;
  }[];
  /** Raw-zone crawlers: name, role ARN, database. */
  readonly crawlers: readonly { readonly name: string; readonly roleArn: string; readonly databaseName: string }[];
  /** Every catalog database the program creates. */
  readonly databases: readonly string[];
  /** Glue connections: name and connection properties (credentials by SECRET_ID only). */
  readonly connections: readonly { readonly name: string; readonly properties: Readonly<Record<string, string>> }[];
}

/** ARNs in AWS's exact shapes for the resource types the lake's policies name. */
export function awsShapedState(args: pulumi.runtime.MockResourceArgs, state: Record<string, unknown>): Record<string, unknown> {
  const name = state["name"] as string;
  const at = `${REGION}:${ACCOUNT_ID}`;
  switch (args.type) {
    case "aws:dynamodb/table:Table":
      return { ...state, arn: `arn:aws:dynamodb:${at}:table/${name}` };
    case "aws:kms/key:Key":
      return { ...state, keyId: name, arn: `arn:aws:kms:${at}:key/${name}` };
    case "aws:lambda/function:Function":
      return { ...state, arn: `arn:aws:lambda:${at}:function:${name}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { ...state, arn: `arn:aws:logs:${at}:log-group:${name}` };
    case "aws:iam/policy:Policy":
      return { ...state, arn: `arn:aws:iam::${ACCOUNT_ID}:policy/${name}` };
    case "aws:sns/topic:Topic":
      return { ...state, arn: `arn:aws:sns:${at}:${name}` };
    default:
      return state;
  }
}

function str(r: RecordedResource, key: string): string {
  const v = r.inputs[key];
  if (typeof v !== "string") throw new Error(`${r.type} ${r.name}: input ${key} is ${typeof v}, expected a string`);
  return v;
}

function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** Reads the synthesized resources into the lake's IAM picture. */
export function lakeFromResources(resources: readonly RecordedResource[]): SynthesizedLake {
  const roles: SynthesizedRole[] = ofType(resources, "aws:iam/role:Role").map((role) => {
    const roleName = (role.inputs["name"] as string | undefined) ?? `${role.name}-x1`;
    // The mocks give a role the id `<resource name>-id`; a RolePolicy names its role by id or name.
    const refs = new Set([`${role.name}-id`, roleName]);
    const inline = ofType(resources, "aws:iam/rolePolicy:RolePolicy")
      .filter((p) => refs.has(str(p, "role")))
      .map((p) => ({ name: p.name, policy: parseJson<PolicyDocument>(p.inputs["policy"]) }));
    const embedded = ((role.inputs["inlinePolicies"] as { name?: string; policy?: string }[] | undefined) ?? [])
      .filter((p) => p.policy)
      .map((p, i) => ({ name: p.name ?? `${role.name}-inline-${i}`, policy: parseJson<PolicyDocument>(p.policy) }));
    const attached = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => refs.has(str(a, "role")));
    const customerPolicies = ofType(resources, "aws:iam/policy:Policy");
    const managedPolicyArns: string[] = [];
    const attachedDocs = attached.flatMap((a) => {
      const arn = str(a, "policyArn");
      const own = customerPolicies.find(
        (p) => `arn:aws:iam::${ACCOUNT_ID}:${(p.inputs["name"] as string | undefined) ?? `${p.name}-x1`}` === arn,
      );
      if (own) return [{ name: own.name, policy: parseJson<PolicyDocument>(own.inputs["policy"]) }];
      managedPolicyArns.push(arn);
      return [];
    });
    return {
      resourceName: role.name,
      roleName,
      arn: `arn:aws:iam::${ACCOUNT_ID}:role/${roleName}`,
      policies: [...inline, ...embedded, ...attachedDocs],
      managedPolicyArns,
    };
  });

  const bucketPolicies = new Map<string, PolicyDocument>(
    ofType(resources, "aws:s3/bucketPolicy:BucketPolicy").map((p) => [str(p, "bucket"), parseJson<PolicyDocument>(p.inputs["policy"])]),
  );
  const keys = ofType(resources, "aws:kms/key:Key");
  if (keys.length !== 1) throw new Error(`expected the lake's one KMS key, found ${keys.length}`);
  const key = keys[0] as RecordedResource;
  const keyName = (key.inputs["name"] as string | undefined) ?? `${key.name}-x1`;
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${keyName}`;
  const separateKeyPolicy = ofType(resources, "aws:kms/keyPolicy:KeyPolicy")[0];
  const keyPolicy = parseJson<PolicyDocument>(separateKeyPolicy?.inputs["policy"] ?? key.inputs["policy"]);

  const kmsEncryptedBuckets = ofType(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    .filter((c) => JSON.stringify(c.inputs["rules"] ?? []).includes(keyArn))
    .map((c) => str(c, "bucket"));
  const kmsEncryptedTopics = ofType(resources, "aws:sns/topic:Topic")
    .filter((t) => t.inputs["kmsMasterKeyId"] === keyArn)
    .map((t) => `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${(t.inputs["name"] as string | undefined) ?? `${t.name}-x1`}`);

  const functions = ofType(resources, "aws:lambda/function:Function");
  if (functions.length !== 1) throw new Error(`expected the coordinator Lambda only, found ${functions.length} functions`);
  const fn = functions[0] as RecordedResource;
  const environment = ((fn.inputs["environment"] as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<
    string,
    string
  >;

  return {
    accountId: ACCOUNT_ID,
    region: REGION,
    roles,
    bucketPolicies,
    kmsKey: { arn: keyArn, policy: keyPolicy },
    kmsEncryptedBuckets,
    kmsEncryptedTopics,
    coordinator: { roleArn: str(fn, "role"), environment },
    jobs: ofType(resources, "aws:glue/job:Job").map((j) => ({
      name: str(j, "name"),
      roleArn: str(j, "roleArn"),
      defaultArguments: (j.inputs["defaultArguments"] ?? {}) as Record<string, string>,
    })),
    crawlers: ofType(resources, "aws:glue/crawler:Crawler").map((c) => ({
      name: str(c, "name"),
      roleArn: str(c, "role"),
      databaseName: str(c, "databaseName"),
    })),
    databases: ofType(resources, "aws:glue/catalogDatabase:CatalogDatabase").map((d) => str(d, "name")),
    connections: ofType(resources, "aws:glue/connection:Connection").map((c) => ({
      name: str(c, "name"),
      properties: (c.inputs["connectionProperties"] ?? {}) as Record<string, string>,
    })),
  };
}

/** Synthesizes the dev stack (Pulumi.dev.yaml's config) offline. */
export async function synthesizeLake(stack: "dev" | "prod" = "dev"): Promise<SynthesizedLake> {
  const { resources } = await runWithMocks(stackFileConfig(stack), () => runLakeProgram(), stack, {}, awsShapedState);
  return lakeFromResources(resources);
}

export function roleByArn(lake: SynthesizedLake, arn: string): SynthesizedRole {
  const role = lake.roles.find((r) => r.arn === arn);
  if (!role) throw new Error(`no synthesized role has ARN ${arn} (roles: ${lake.roles.map((r) => r.arn).join(", ")})`);
  return role;
}

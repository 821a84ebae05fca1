/**
 * Maps one recorded AWS request to the IAM authorization checks AWS makes for it: the action and
 * the resource ARN(s), per the Service Authorization Reference ("Actions, resources, and condition
 * keys for <service>"). A request AWS authorizes against several resources (Glue's GetTable needs
 * the catalog, the database and the table) gives one check per resource; a DynamoDB
 * TransactWriteItems gives one check per item with the item's own action (ConditionCheckItem,
 * PutItem, UpdateItem, DeleteItem), as DynamoDB authorizes transactions.
 *
 * Unknown operations throw (naming the service and operation): a call this module cannot map
 * fails the evaluation instead of passing unseen.
 */
import { bodyText, type RecordedRequest } from "./recorder";

export interface AuthorizationCheck {
  /** e.g. "dynamodb:UpdateItem". */
  readonly action: string;
  readonly resource: string;
  /** Condition keys the request carries that the lake's policies may test. */
  readonly context: Readonly<Record<string, string>>;
}

export interface MappedRequest {
  /** "<service> <Operation>", for reports. */
  readonly call: string;
  /** Empty when AWS requires no permission (sts:GetCallerIdentity). */
  readonly checks: readonly AuthorizationCheck[];
}

export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/** The signing service from the SigV4 credential scope (`Credential=AKID/date/region/service/aws4_request`). */
export function signingService(req: RecordedRequest): string {
  const auth = headerOf(req, "authorization") ?? "";
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  if (!scope?.[1]) throw new Error(`${req.method} ${req.url}: unsigned request (no SigV4 credential scope)`);
  return scope[1];
}

function headerOf(req: RecordedRequest, name: string): string | undefined {
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : req.headers[key];
}

function jsonBody(req: RecordedRequest): Record<string, unknown> {
  const text = bodyText(req);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function field(body: Record<string, unknown>, name: string, call: string): string {
  const v = body[name];
  if (typeof v !== "string" || v === "") throw new Error(`${call}: request has no ${name}`);
  return v;
}

/** Every request is sent over TLS in AWS (the SDKs' endpoints are https); moto is plain HTTP locally. */
const TLS = { "aws:SecureTransport": "true" } as const;

function check(action: string, resource: string, context: Record<string, string> = {}): AuthorizationCheck {
  return { action, resource, context: { ...TLS, ...context } };
}

function dynamodb(req: RecordedRequest, op: string, s: Scope): AuthorizationCheck[] {
  const body = jsonBody(req);
  const table = (name: string): string => `arn:aws:dynamodb:${s.region}:${s.accountId}:table/${name}`;
  switch (op) {
    case "TransactWriteItems": {
      const items = (body["TransactItems"] ?? []) as Record<string, { TableName?: string }>[];
      const kinds: Record<string, string> = {
        ConditionCheck: "ConditionCheckItem",
        Put: "PutItem",
        Update: "UpdateItem",
        Delete: "DeleteItem",
      };
      return items.flatMap((item) =>
        Object.entries(item).map(([kind, spec]) => {
          const action = kinds[kind];
          if (!action || !spec.TableName) throw new Error(`dynamodb TransactWriteItems: unknown item ${kind}`);
          return check(`dynamodb:${action}`, table(spec.TableName));
        }),
      );
    }
    case "TransactGetItems":
      return ((body["TransactItems"] ?? []) as { Get?: { TableName?: string } }[]).map((i) =>
        check("dynamodb:GetItem", table(i.Get?.TableName ?? "?")),
      );
    case "BatchGetItem":
    case "BatchWriteItem":
      return Object.keys((body["RequestItems"] ?? {}) as object).map((name) => check(`dynamodb:${op}`, table(name)));
    case "GetItem":
    case "PutItem":
    case "UpdateItem":
    case "DeleteItem":
    case "Query":
    case "Scan":
    case "DescribeTable":
      return [check(`dynamodb:${op}`, table(field(body, "TableName", `dynamodb ${op}`)))];
    default:
      throw new Error(`dynamodb ${op}: not mapped to an IAM action (extend test/iam/support/requestActions.ts)`);
  }
}

function glue(req: RecordedRequest, op: string, s: Scope): AuthorizationCheck[] {
  const body = jsonBody(req);
  const call = `glue ${op}`;
  const arn = (rest: string): string => `arn:aws:glue:${s.region}:${s.accountId}:${rest}`;
  const tableChecks = (db: string, tableName: string): AuthorizationCheck[] =>
    [arn("catalog"), arn(`database/${db}`), arn(`table/${db}/${tableName}`)].map((r) => check(`glue:${op}`, r));
  switch (op) {
    case "StartJobRun":
    case "GetJobRun":
    case "GetJobRuns":
    case "GetJob":
    case "BatchStopJobRun":
      return [check(`glue:${op}`, arn(`job/${field(body, "JobName", call)}`))];
    case "GetCrawler":
    case "StartCrawler":
    case "StopCrawler":
    case "UpdateCrawler":
      return [check(`glue:${op}`, arn(`crawler/${field(body, "Name", call)}`))];
    case "GetDatabase":
      return [arn("catalog"), arn(`database/${field(body, "Name", call)}`)].map((r) => check(`glue:${op}`, r));
    case "GetTable":
    case "DeleteTable":
      return tableChecks(field(body, "DatabaseName", call), field(body, "Name", call));
    case "CreateTable":
    case "UpdateTable": {
      const input = (body["TableInput"] ?? {}) as Record<string, unknown>;
      return tableChecks(field(body, "DatabaseName", call), field(input, "Name", call));
    }
    case "GetTables":
      return tableChecks(field(body, "DatabaseName", call), "*");
    case "GetPartitions":
    case "BatchGetPartition":
    case "BatchCreatePartition":
    case "BatchUpdatePartition":
      return tableChecks(field(body, "DatabaseName", call), field(body, "TableName", call));
    case "GetConnection":
      return [arn("catalog"), arn(`connection/${field(body, "Name", call)}`)].map((r) => check(`glue:${op}`, r));
    default:
      throw new Error(`${call}: not mapped to an IAM action (extend test/iam/support/requestActions.ts)`);
  }
}

/** Query protocol (SNS, STS, CloudWatch's query form): form-encoded body with Action=. */
function queryParams(req: RecordedRequest): URLSearchParams {
  const fromUrl = new URL(req.url).searchParams;
  return fromUrl.get("Action") ? fromUrl : new URLSearchParams(bodyText(req));
}

function s3(req: RecordedRequest): { op: string; checks: AuthorizationCheck[] } {
  const url = new URL(req.url);
  const [bucket, ...keyParts] = url.pathname.replace(/^\//, "").split("/");
  if (!bucket) throw new Error(`s3 ${req.method} ${req.url}: no bucket in the path (the lake's clients use path-style addressing)`);
  const key = decodeURIComponent(keyParts.join("/"));
  const q = url.searchParams;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const objectArn = `${bucketArn}/${key}`;
  const m = req.method.toUpperCase();
  if (key === "") {
    if ((m === "GET" || m === "HEAD") && !q.has("location") && !q.has("versioning"))
      return { op: "ListObjects", checks: [check("s3:ListBucket", bucketArn)] };
    if (m === "GET" && q.has("location")) return { op: "GetBucketLocation", checks: [check("s3:GetBucketLocation", bucketArn)] };
    if (m === "POST" && q.has("delete")) {
      const keys = [...bodyText(req).matchAll(/<Key>([^<]*)<\/Key>/g)].map((k) => k[1] ?? "");
      return { op: "DeleteObjects", checks: keys.map((k) => check("s3:DeleteObject", `${bucketArn}/${k}`)) };
    }
    throw new Error(`s3 ${m} ${url.pathname}${url.search}: bucket operation not mapped (extend test/iam/support/requestActions.ts)`);
  }
  if (q.has("tagging"))
    return { op: "ObjectTagging", checks: [check(m === "GET" ? "s3:GetObjectTagging" : "s3:PutObjectTagging", objectArn)] };
  if (m === "GET" || m === "HEAD") return { op: m === "GET" ? "GetObject" : "HeadObject", checks: [check("s3:GetObject", objectArn)] };
  if (m === "PUT" || (m === "POST" && (q.has("uploads") || q.has("uploadId")))) {
    const copySource = headerOf(req, "x-amz-copy-source");
    const copy = copySource ? [check("s3:GetObject", `arn:aws:s3:::${decodeURIComponent(copySource.replace(/^\//, ""))}`)] : [];
    return { op: copySource ? "CopyObject" : "PutObject", checks: [check("s3:PutObject", objectArn), ...copy] };
  }
  if (m === "DELETE")
    return {
      op: q.has("uploadId") ? "AbortMultipartUpload" : "DeleteObject",
      checks: [check(q.has("uploadId") ? "s3:AbortMultipartUpload" : "s3:DeleteObject", objectArn)],
    };
  throw new Error(`s3 ${m} ${url.pathname}${url.search}: object operation not mapped (extend test/iam/support/requestActions.ts)`);
}

export function mapRequest(req: RecordedRequest, scope: Scope): MappedRequest {
  const service = signingService(req);
  const target = headerOf(req, "x-amz-target");
  const op = target ? (target.split(".").pop() ?? "") : "";
  switch (service) {
    case "dynamodb":
      return { call: `dynamodb ${op}`, checks: dynamodb(req, op, scope) };
    case "glue":
      return { call: `glue ${op}`, checks: glue(req, op, scope) };
    case "lakeformation": {
      // REST-JSON: the operation is the path (POST /AddLFTagsToResource). Lake Formation's
      // tagging and permission APIs take no resource ARN in IAM ("*"); LF permissions scope them.
      const name = new URL(req.url).pathname.replace(/^\//, "").split("/")[0] ?? "";
      if (!/^[A-Z][A-Za-z]+$/.test(name)) throw new Error(`lakeformation ${req.method} ${req.url}: no operation in the path`);
      return { call: `lakeformation ${name}`, checks: [check(`lakeformation:${name}`, "*")] };
    }
    case "sns": {
      const p = queryParams(req);
      const action = p.get("Action") ?? "";
      if (action !== "Publish") throw new Error(`sns ${action}: not mapped to an IAM action (extend test/iam/support/requestActions.ts)`);
      return { call: "sns Publish", checks: [check("sns:Publish", p.get("TopicArn") ?? p.get("TargetArn") ?? "?")] };
    }
    case "sts": {
      const action = queryParams(req).get("Action") ?? "";
      // "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity).
      if (action === "GetCallerIdentity") return { call: "sts GetCallerIdentity", checks: [] };
      throw new Error(`sts ${action}: not mapped to an IAM action (extend test/iam/support/requestActions.ts)`);
    }
    case "secretsmanager": {
      const body = jsonBody(req);
      const id = field(body, "SecretId", `secretsmanager ${op}`);
      // A name resolves to the secret's ARN, which ends in a hyphen and six random characters.
      const arn = id.startsWith("arn:") ? id : `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:${id}-AbCdEf`;
      return { call: `secretsmanager ${op}`, checks: [check(`secretsmanager:${op}`, arn)] };
    }
    case "monitoring": {
      const p = target ? undefined : queryParams(req);
      const name = op || p?.get("Action") || "";
      if (name !== "PutMetricData")
        throw new Error(`cloudwatch ${name}: not mapped to an IAM action (extend test/iam/support/requestActions.ts)`);
      const namespace = target ? String(jsonBody(req)["Namespace"] ?? "") : (p?.get("Namespace") ?? "");
      return { call: "cloudwatch PutMetricData", checks: [check("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": namespace })] };
    }
    case "s3": {
      const mapped = s3(req);
      return { call: `s3 ${mapped.op}`, checks: mapped.checks };
    }
    default:
      throw new Error(
        `${service} ${op || req.method + " " + new URL(req.url).pathname}: service not mapped (extend test/iam/support/requestActions.ts)`,
      );
  }
}

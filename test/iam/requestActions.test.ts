/**
 * The request -> IAM check mapping, on requests as moto's recorder logs them (method, raw URL,
 * headers with the SigV4 credential scope, body). Expected actions and resource ARNs follow the
 * Service Authorization Reference for each service.
 */
import assert from "node:assert/strict";
import type { RecordedRequest } from "./support/recorder";
import { mapRequest } from "./support/requestActions";

const scope = { accountId: "123456789012", region: "eu-central-1" };
const at = "eu-central-1:123456789012";

function signed(
  service: string,
  init: { method?: string; url?: string; target?: string; body?: string; headers?: Record<string, string> },
): RecordedRequest {
  return {
    method: init.method ?? "POST",
    url: init.url ?? "http://127.0.0.1:5706/",
    headers: {
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20240507/eu-central-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
      ...(init.target ? { "X-Amz-Target": init.target } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? "" : Buffer.from(init.body).toString("base64"),
    body_encoded: init.body !== undefined,
  };
}

const pairs = (req: RecordedRequest): string[] => mapRequest(req, scope).checks.map((c) => `${c.action} ${c.resource}`);

describe("IAM request mapping (recorded request -> action and resource)", () => {
  it("DynamoDB: single-item calls on the table ARN; TransactWriteItems per item with the item's own action", () => {
    assert.deepEqual(pairs(signed("dynamodb", { target: "DynamoDB_20120810.GetItem", body: JSON.stringify({ TableName: "state" }) })), [
      `dynamodb:GetItem arn:aws:dynamodb:${at}:table/state`,
    ]);
    const transact = JSON.stringify({
      TransactItems: [{ ConditionCheck: { TableName: "state" } }, { Update: { TableName: "state" } }, { Put: { TableName: "other" } }],
    });
    assert.deepEqual(pairs(signed("dynamodb", { target: "DynamoDB_20120810.TransactWriteItems", body: transact })), [
      `dynamodb:ConditionCheckItem arn:aws:dynamodb:${at}:table/state`,
      `dynamodb:UpdateItem arn:aws:dynamodb:${at}:table/state`,
      `dynamodb:PutItem arn:aws:dynamodb:${at}:table/other`,
    ]);
    assert.deepEqual(
      pairs(signed("dynamodb", { target: "DynamoDB_20120810.BatchGetItem", body: JSON.stringify({ RequestItems: { state: {} } }) })),
      [`dynamodb:BatchGetItem arn:aws:dynamodb:${at}:table/state`],
    );
  });

  it("Glue: table calls need the catalog, the database and the table; jobs and crawlers by name", () => {
    assert.deepEqual(
      pairs(signed("glue", { target: "AWSGlue.GetTable", body: JSON.stringify({ DatabaseName: "lake_sales", Name: "customer" }) })),
      [
        `glue:GetTable arn:aws:glue:${at}:catalog`,
        `glue:GetTable arn:aws:glue:${at}:database/lake_sales`,
        `glue:GetTable arn:aws:glue:${at}:table/lake_sales/customer`,
      ],
    );
    assert.deepEqual(
      pairs(
        signed("glue", { target: "AWSGlue.CreateTable", body: JSON.stringify({ DatabaseName: "lake_sales", TableInput: { Name: "t" } }) }),
      ).at(-1),
      `glue:CreateTable arn:aws:glue:${at}:table/lake_sales/t`,
    );
    assert.deepEqual(pairs(signed("glue", { target: "AWSGlue.StartJobRun", body: JSON.stringify({ JobName: "lake-daily" }) })), [
      `glue:StartJobRun arn:aws:glue:${at}:job/lake-daily`,
    ]);
    assert.deepEqual(pairs(signed("glue", { target: "AWSGlue.StartCrawler", body: JSON.stringify({ Name: "lake-raw-hr" }) })), [
      `glue:StartCrawler arn:aws:glue:${at}:crawler/lake-raw-hr`,
    ]);
    assert.deepEqual(pairs(signed("glue", { target: "AWSGlue.GetConnection", body: JSON.stringify({ Name: "src" }) })), [
      `glue:GetConnection arn:aws:glue:${at}:catalog`,
      `glue:GetConnection arn:aws:glue:${at}:connection/src`,
    ]);
  });

  it("S3 (path style): object reads, writes and deletes on the object ARN (key percent-decoded), listing on the bucket", () => {
    const url = "http://127.0.0.1:5706/lake-scripts/manifests/daily/run%201.json";
    assert.deepEqual(pairs(signed("s3", { method: "GET", url })), ["s3:GetObject arn:aws:s3:::lake-scripts/manifests/daily/run 1.json"]);
    assert.deepEqual(pairs(signed("s3", { method: "HEAD", url })), ["s3:GetObject arn:aws:s3:::lake-scripts/manifests/daily/run 1.json"]);
    assert.deepEqual(pairs(signed("s3", { method: "PUT", url, body: "{}" })), [
      "s3:PutObject arn:aws:s3:::lake-scripts/manifests/daily/run 1.json",
    ]);
    assert.deepEqual(pairs(signed("s3", { method: "DELETE", url })), [
      "s3:DeleteObject arn:aws:s3:::lake-scripts/manifests/daily/run 1.json",
    ]);
    assert.deepEqual(pairs(signed("s3", { method: "GET", url: "http://127.0.0.1:5706/lake-raw?list-type=2&prefix=raw%2F" })), [
      "s3:ListBucket arn:aws:s3:::lake-raw",
    ]);
    assert.deepEqual(
      pairs(signed("s3", { method: "PUT", url: "http://127.0.0.1:5706/b/dst", headers: { "x-amz-copy-source": "/b/src%20key" } })),
      ["s3:PutObject arn:aws:s3:::b/dst", "s3:GetObject arn:aws:s3:::b/src key"],
    );
  });

  it("Lake Formation by its REST path, SNS by its query Action, STS GetCallerIdentity needs no permission", () => {
    assert.deepEqual(pairs(signed("lakeformation", { url: "http://127.0.0.1:5706/AddLFTagsToResource", body: "{}" })), [
      "lakeformation:AddLFTagsToResource *",
    ]);
    const topic = `arn:aws:sns:${at}:alerts`;
    assert.deepEqual(pairs(signed("sns", { body: `Action=Publish&TopicArn=${encodeURIComponent(topic)}&Message=x` })), [
      `sns:Publish ${topic}`,
    ]);
    assert.deepEqual(pairs(signed("sts", { body: "Action=GetCallerIdentity&Version=2011-06-15" })), []);
  });

  it("carries aws:SecureTransport (TLS in AWS) and CloudWatch's namespace as request context", () => {
    const [put] = mapRequest(signed("monitoring", { body: "Action=PutMetricData&Namespace=Glue&Version=2010-08-01" }), scope).checks;
    assert.deepEqual(put?.context, { "aws:SecureTransport": "true", "cloudwatch:namespace": "Glue" });
  });

  it("refuses what it cannot map: an unknown operation or service, an unsigned request", () => {
    assert.throws(() => mapRequest(signed("glue", { target: "AWSGlue.DeleteJob", body: "{}" }), scope), /glue DeleteJob: not mapped/);
    assert.throws(
      () => mapRequest(signed("athena", { target: "AmazonAthena.StartQueryExecution", body: "{}" }), scope),
      /athena .*service not mapped/,
    );
    assert.throws(() => mapRequest({ ...signed("s3", { method: "GET" }), headers: {} }, scope), /unsigned request/);
  });
});

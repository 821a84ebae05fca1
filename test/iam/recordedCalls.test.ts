/**
 * IAM proven against the calls the system really makes: a real coordinator run and the real ingest
 * job for it (local Spark, boto3 pointed at moto) against moto, every request recorded by moto's
 * recorder in one window per actor, mapped to its IAM action and resource, and evaluated by
 * @cloud-copilot/iam-simulate against the policies the Pulumi program synthesizes (under Pulumi
 * mocks: the only mock here) for the role that makes the call in AWS, with the bucket and key
 * policies as resource policies.
 */
import assert from "node:assert/strict";
import { decide, type RoleEvaluation } from "./support/evaluate";
import { startRecordingMoto, type MotoServer } from "./support/motoServer";
import { recordAndEvaluate, type Evaluated } from "./support/recordAndEvaluate";
import { denials, reportLines } from "./support/report";
import { roleByArn } from "./support/synthesized";

// Its own moto (the recorder is server-wide): IAM_MOTO_PORT, else MOTO_PORT, else 5059 (clear of 5055-5058).
const MOTO_PORT = process.env["IAM_MOTO_PORT"] ?? process.env["MOTO_PORT"] ?? "5059";

describe("IAM: every recorded AWS call is allowed to the role that makes it", function () {
  this.timeout(900_000);
  let moto: MotoServer;
  let run: Evaluated;

  before(async function () {
    moto = await startRecordingMoto(MOTO_PORT);
    run = await recordAndEvaluate(moto.url);
    console.log(reportLines(run.evaluations, run.lake).join("\n"));
  });

  after(() => moto?.stop());

  const actor = (name: string): RoleEvaluation => {
    const e = run.evaluations.find((x) => x.actor === name);
    if (!e) throw new Error(`no recording of ${name}`);
    return e;
  };

  it("records real runs: the coordinator starts and finalizes two runs (crawls, PII tags, an alert), the ingest job succeeds in the first", () => {
    assert.deepEqual(
      run.evaluations.map((e) => e.actor),
      ["coordinator", "ingest job"],
    );
    assert.equal(run.jobExitCode, 0, `the job failed; see ${run.jobLog}`);
    const coordinator = new Set(actor("coordinator").checks.map((c) => c.action));
    for (const action of [
      "dynamodb:UpdateItem",
      "s3:PutObject",
      "glue:StartJobRun",
      "glue:StartCrawler",
      "glue:UpdateCrawler",
      "glue:UpdateTable",
      "lakeformation:AddLFTagsToResource",
      "sns:Publish",
    ])
      assert.ok(coordinator.has(action), `coordinator made ${action}`);
    const job = actor("ingest job").checks;
    assert.ok(
      job.some((c) => c.action === "s3:GetObject" && c.resource.includes("/manifests/")),
      "the job read its manifest",
    );
    assert.ok(
      job.some((c) => c.action === "s3:PutObject" && c.resource.includes("/results/")),
      "the job wrote its result under results/",
    );
    assert.ok(
      job.some((c) => c.action === "dynamodb:UpdateItem"),
      "the job committed table state",
    );
  });

  it("attributes each actor to the role the program gives it (Lambda role, Glue job role)", () => {
    assert.equal(actor("coordinator").role.arn, run.lake.coordinator.roleArn);
    assert.ok(run.lake.jobs.every((j) => j.roleArn === actor("ingest job").role.arn));
  });

  it("allows every recorded call (identity policies + bucket and key policies)", () => {
    const denied = run.evaluations.flatMap(denials);
    assert.deepEqual(denied, [], `denied:\n${denied.join("\n")}`);
  });

  it("the job's role may read manifests/ but not write there (the result file's old place), and may write results/", async () => {
    const lake = run.lake;
    const jobRole = roleByArn(lake, actor("ingest job").role.arn);
    const bucket = lake.coordinator.environment["MANIFEST_BUCKET"] as string;
    const tls = { "aws:SecureTransport": "true" };
    const manifest = `arn:aws:s3:::${bucket}/manifests/daily/daily-20240506T233000Z-0a1b2c3d.json`;
    assert.equal((await decide(lake, jobRole, { action: "s3:GetObject", resource: manifest, context: tls })).decision, "Allowed");
    assert.equal(
      (await decide(lake, jobRole, { action: "s3:PutObject", resource: `${manifest}.result.json`, context: tls })).decision,
      "ImplicitlyDenied",
    );
    const result = `arn:aws:s3:::${bucket}/results/daily/daily-20240506T233000Z-0a1b2c3d.json`;
    assert.equal((await decide(lake, jobRole, { action: "s3:PutObject", resource: result, context: tls })).decision, "Allowed");
  });

  it("the evaluator can deny: an action outside the role, and the TLS-only bucket policy over plain HTTP", async () => {
    const lake = run.lake;
    const coordinatorRole = roleByArn(lake, lake.coordinator.roleArn);
    const bucket = lake.coordinator.environment["MANIFEST_BUCKET"] as string;
    const manifest = `arn:aws:s3:::${bucket}/manifests/daily/x.json`;
    const tls = { "aws:SecureTransport": "true" };
    assert.equal(
      (await decide(lake, coordinatorRole, { action: "s3:DeleteObject", resource: manifest, context: tls })).decision,
      "ImplicitlyDenied",
    );
    assert.equal((await decide(lake, coordinatorRole, { action: "s3:PutObject", resource: manifest, context: tls })).decision, "Allowed");
    assert.equal(
      (await decide(lake, coordinatorRole, { action: "s3:PutObject", resource: manifest, context: { "aws:SecureTransport": "false" } }))
        .decision,
      "ExplicitlyDenied",
    );
  });
});

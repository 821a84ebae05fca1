/**
 * IAM proven against the calls the system really makes: a real coordinator run (and the ingest
 * job's calls for it) against moto, every request recorded by moto's recorder in one window per
 * actor, mapped to its IAM action and resource, and evaluated by @cloud-copilot/iam-simulate
 * against the policies the Pulumi program synthesizes (under Pulumi mocks: the only mock here)
 * for the role that makes the call in AWS, with the bucket and key policies as resource policies.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { evaluateRequests, type RoleEvaluation } from "./support/evaluate";
import { recordLakeRun } from "./support/lakeRun";
import { denials, reportLines } from "./support/report";
import { synthesizeLake, type SynthesizedLake } from "./support/synthesized";

const root = path.resolve(__dirname, "../..");
const MOTO_PORT = process.env["MOTO_PORT"] ?? "5706";

describe("IAM: every recorded AWS call is allowed to the role that makes it", function () {
  this.timeout(600_000);
  let motoUrl: string;
  let startedHere = false;
  let lake: SynthesizedLake;
  let evaluations: RoleEvaluation[];

  before(async function () {
    const env = { ...process.env, MOTO_PORT, MOTO_RECORDER_FILEPATH: path.join(root, ".cache", `moto-recording-${MOTO_PORT}.jsonl`) };
    const expected = execFileSync(path.join(root, "scripts/moto-server.sh"), ["url"], { env, encoding: "utf8" }).trim();
    startedHere = !(await fetch(`${expected}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    ));
    motoUrl = execFileSync(path.join(root, "scripts/moto-server.sh"), ["start"], { env, encoding: "utf8" })
      .trim()
      .split("\n")
      .pop() as string;
    await fetch(`${motoUrl}/moto-api/reset`, { method: "POST" });
    lake = await synthesizeLake("dev");
    const recordings = await recordLakeRun(lake, motoUrl);
    evaluations = [];
    for (const r of recordings) {
      const role = lake.roles.find((x) => x.arn === r.roleArn);
      if (!role) throw new Error(`${r.actor}: no synthesized role ${r.roleArn}`);
      evaluations.push(await evaluateRequests(lake, r.actor, role, r.requests, r.extraCalls));
    }
    console.log(reportLines(evaluations).join("\n"));
  });

  after(() => {
    if (startedHere) execFileSync(path.join(root, "scripts/moto-server.sh"), ["stop"], { env: { ...process.env, MOTO_PORT } });
  });

  it("records calls of the coordinator and the ingest job, each attributed to its synthesized role", () => {
    const actors = evaluations.map((e) => e.actor);
    assert.deepEqual(actors, ["coordinator", "ingest job"]);
    const coordinator = evaluations[0] as RoleEvaluation;
    const calls = new Set(coordinator.checks.map((c) => c.action));
    for (const action of ["dynamodb:UpdateItem", "s3:PutObject", "glue:StartJobRun", "glue:StartCrawler"])
      assert.ok(calls.has(action), `coordinator made ${action}`);
    const job = evaluations[1] as RoleEvaluation;
    assert.ok(
      job.checks.some((c) => c.action === "s3:GetObject"),
      "the job read its manifest",
    );
    assert.ok(
      job.checks.some((c) => c.action === "dynamodb:UpdateItem"),
      "the job committed table state",
    );
  });

  it("allows every recorded call (identity policies + bucket and key policies)", () => {
    const denied = evaluations.flatMap(denials);
    assert.deepEqual(denied, [], `denied:\n${denied.join("\n")}`);
  });
});

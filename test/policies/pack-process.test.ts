// Starts the policy pack the way `pulumi preview --policy-pack policies` does — the analyzer plugin runs
// @pulumi/pulumi/cmd/run-policy-pack with the pack directory as working directory and "." as program,
// which registers ts-node with type checking and Pulumi's default compiler options — and talks to it
// over gRPC like the engine: GetAnalyzerInfo, Analyze and AnalyzeStack.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { EVERY_POLICY } from "./policyNames";
import { compliantLake, fx, withProps } from "./fixtures";
import { fromAnalyzeResponse, toAnalyzeRequest, toAnalyzeStackRequest } from "./harness";

const root = path.resolve(__dirname, "..", "..");

function unary<Req, Res>(call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    call(req, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

describe("policy pack process (as run by pulumi preview --policy-pack policies)", function () {
  this.timeout(180_000);
  let child: ChildProcess | undefined;
  let client: AnalyzerClient;
  let stderr = "";

  before(async () => {
    // The CLI does not pass the test runner's ts-node settings to the plugin.
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith("TS_NODE_")) {
        env[k] = v;
      }
    }
    const runner = path.join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    const proc = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
      cwd: path.join(root, "policies"),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      proc.stdout?.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) {
          resolve(Number(m[1]));
        }
      });
      proc.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
    });
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    if (child !== undefined && child.exitCode === null) {
      child.kill("SIGTERM");
    }
  });

  it("serves the governed-lake pack with every policy, all mandatory", async () => {
    const info = await unary<Empty, analyzerpb.AnalyzerInfo>((r, cb) => client.getAnalyzerInfo(r, cb), new Empty());
    assert.equal(info.getName(), "governed-lake");
    assert.equal(info.getVersion(), "0.1.0");
    const policies = info.getPoliciesList();
    assert.deepEqual(
      policies.map((p) => p.getName()),
      [...EVERY_POLICY],
    );
    assert.ok(policies.every((p) => p.getEnforcementlevel() === 1 /* MANDATORY */));
  });

  it("passes a compliant resource and reports a violation with its field", async () => {
    const ok = fromAnalyzeResponse(await unary((r, cb) => client.analyze(r, cb), toAnalyzeRequest(fx.glueJob())));
    assert.deepEqual(ok.diagnostics, []);
    const bad = fromAnalyzeResponse(
      await unary((r, cb) => client.analyze(r, cb), toAnalyzeRequest(withProps(fx.glueJob(), { defaultArguments: {} }))),
    );
    assert.deepEqual(
      bad.diagnostics.map((d) => d.policyName),
      ["glue-job-bookmarks-disabled"],
    );
    assert.match(bad.diagnostics[0].message, /defaultArguments\["--job-bookmark-option"\] is unset/);
  });

  it("checks the stack", async () => {
    const ok = fromAnalyzeResponse(await unary((r, cb) => client.analyzeStack(r, cb), toAnalyzeStackRequest(compliantLake())));
    assert.deepEqual(ok.diagnostics, []);
    const lake = compliantLake().filter((r) => r.name !== "lake-raw-versioning");
    const bad = fromAnalyzeResponse(await unary((r, cb) => client.analyzeStack(r, cb), toAnalyzeStackRequest(lake)));
    assert.deepEqual(
      bad.diagnostics.map((d) => d.policyName),
      ["s3-every-bucket-encrypted-private-versioned"],
    );
    assert.match(bad.diagnostics[0].message, /"lake-raw" has no versioning configuration/);
  });
});

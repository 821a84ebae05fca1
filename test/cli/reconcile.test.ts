/**
 * lake verify / lake reconcile.
 *
 * Local lake: the real entry point is scripts/reconcile-local.sh (the Python job through the
 * local harness). Here a STAND-IN for it, a small shell script written by this test and passed
 * through LAKE_RECONCILE_SCRIPT, records the arguments it was given and prints a canned report in
 * the contract's JSON, so these tests check the command's argument handling, output and exit
 * codes, not the comparison itself (the job's own tests do that).
 *
 * Stack: the real coordinator (createCoordinator, against moto: DynamoDB, S3, Glue) behind a
 * STAND-IN for the Lambda service: a local HTTP endpoint speaking the Invoke API
 * (AWS_ENDPOINT_URL_LAMBDA) that hands the payload to the coordinator's handle() and returns its
 * report, because moto's Lambda needs Docker to run a function.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { RunManifest } from "../../handlers/coordinator/core/manifest";
import { resetMoto } from "../coordinator/support/moto";
import { createLake, readManifest, type TestCoordinator, type TestLake } from "../coordinator/support/lake";
import { lake, lakeProcess, tempTablesDir } from "./support/run";

const SCRIPT_ENV = "LAKE_RECONCILE_SCRIPT";

interface StandIn {
  readonly dir: string;
  /** The report the stand-in prints next, and the exit code it ends with. */
  answer(report: unknown, exitCode?: number, stderr?: string): void;
  /** The arguments of its last run. */
  lastArgs(): string[];
}

/** The stand-in for scripts/reconcile-local.sh (see the file comment). */
function standInScript(): StandIn {
  const dir = mkdtempSync(join(tmpdir(), "lake-reconcile-standin-"));
  const script = join(dir, "reconcile-local-standin.sh");
  writeFileSync(
    script,
    `#!/usr/bin/env bash
# Stand-in for scripts/reconcile-local.sh in test/cli/reconcile.test.ts: not the Python job.
printf '%s\\n' "$@" > "${dir}/args"
cat "${dir}/stderr" >&2
cat "${dir}/report"
exit "$(cat "${dir}/exit")"
`,
  );
  chmodSync(script, 0o755);
  process.env[SCRIPT_ENV] = script;
  const answer = (report: unknown, exitCode = 0, stderr = "spark: lots of log lines\n"): void => {
    writeFileSync(join(dir, "report"), typeof report === "string" ? report : JSON.stringify(report));
    writeFileSync(join(dir, "exit"), String(exitCode));
    writeFileSync(join(dir, "stderr"), stderr);
  };
  answer({ tables: [], differing: 0, repaired: 0 });
  return {
    dir,
    answer,
    lastArgs: () => readFileSync(join(dir, "args"), "utf8").trimEnd().split("\n"),
  };
}

function stats(mode: "verify" | "repair", deleted = 0, updated = 0, inserted = 0): Record<string, unknown> {
  return {
    mode,
    equal: deleted + updated + inserted === 0,
    method: "ranges",
    rangesCompared: 64,
    rangesRepaired: mode === "repair" && deleted + updated + inserted > 0 ? 3 : 0,
    rowsDeleted: deleted,
    rowsUpdated: updated,
    rowsInserted: inserted,
    sourceRowsScanned: 2000,
    seconds: 1.5,
    repairAlertRows: 100,
  };
}

describe("lake verify / lake reconcile on a local lake (stand-in for scripts/reconcile-local.sh)", function () {
  this.timeout(60_000);
  let standIn: StandIn;
  let cwd: string;

  beforeEach(() => {
    standIn = standInScript();
    cwd = tempTablesDir();
  });
  afterEach(() => delete process.env[SCRIPT_ENV]);

  it("passes the contract's arguments and exits 0 when every table is equal", async () => {
    standIn.answer({
      tables: [
        { name: "customer", status: "EQUAL", reconcile: stats("verify"), error: null },
        { name: "invoice", status: "EQUAL", reconcile: { ...stats("verify"), method: "whole-table" }, error: null },
      ],
      differing: 0,
      repaired: 0,
    });
    const result = await lake(["verify", "customer", "invoice", "--source-db", "erp_demo", "--lake-dir", ".lake/demo/lake"], cwd);
    assert.equal(result.code, 0, result.err);
    assert.deepEqual(standIn.lastArgs(), [
      "--tables-yaml",
      join(cwd, "tables.yaml"),
      "--source-db",
      "erp_demo",
      "--lake-dir",
      ".lake/demo/lake",
      "--tables",
      "customer,invoice",
      "--mode",
      "verify",
    ]);
    assert.match(result.out, /^customer {2}equal {5}64 ranges, 2000 source rows, 1\.5 s$/m);
    assert.match(result.out, /^invoice {3}equal {5}whole table, 2000 source rows/m);
    assert.match(result.out, /^verify: 2 table\(s\): 2 equal, 0 differ, 0 failed$/m);
  });

  it("exits 1 when a table differs, and says so in JSON", async () => {
    standIn.answer(
      {
        tables: [
          { name: "customer", status: "DIFFERS", reconcile: stats("verify", 2, 10, 1), error: null },
          { name: "customer_address", status: "EQUAL", reconcile: stats("verify"), error: null },
        ],
        differing: 1,
        repaired: 0,
      },
      1,
    );
    const text = await lake(["verify", "--domain", "sales"], cwd);
    assert.equal(text.code, 1);
    assert.deepEqual(standIn.lastArgs().slice(2), ["--domain", "sales", "--mode", "verify"]);
    assert.match(text.out, /^customer {10}DIFFERS {3}13 rows differ \(deleted 2, updated 10, inserted 1\); 64 ranges/m);
    assert.match(text.out, /1 equal, 1 differ, 0 failed/);

    const json = await lake(["verify", "--all", "--format", "json"], cwd);
    assert.equal(json.code, 1);
    assert.deepEqual(standIn.lastArgs().slice(2), ["--all", "--mode", "verify"]);
    const doc = JSON.parse(json.out) as { ok: boolean; mode: string; differing: number; tables: { name: string; outcome: string }[] };
    assert.deepEqual(
      [doc.ok, doc.mode, doc.differing, doc.tables.map((t) => [t.name, t.outcome])],
      [
        false,
        "verify",
        1,
        [
          ["customer", "differs"],
          ["customer_address", "equal"],
        ],
      ],
    );
  });

  it("a table the report shows differing fails verify even if the script exited 0", async () => {
    standIn.answer(
      { tables: [{ name: "customer", status: "DIFFERS", reconcile: stats("verify", 0, 1, 0) }], differing: 1, repaired: 0 },
      0,
    );
    assert.equal((await lake(["verify", "customer"], cwd)).code, 1);
  });

  it("lake reconcile repairs (exit 0 once equal) and exits 1 when a table's repair failed", async () => {
    standIn.answer({
      tables: [
        { name: "customer", status: "REPAIRED", reconcile: stats("repair", 4, 8, 1), error: null },
        { name: "invoice", status: "EQUAL", reconcile: stats("repair"), error: null },
      ],
      differing: 1,
      repaired: 1,
    });
    const ok = await lake(["reconcile", "customer", "invoice"], cwd);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(standIn.lastArgs().at(-1), "repair");
    assert.match(ok.out, /^customer {2}REPAIRED {2}13 rows repaired \(deleted 4, updated 8, inserted 1\) in 3 ranges; 64 ranges/m);
    assert.match(ok.out, /^repair: 2 table\(s\): 1 equal, 1 repaired, 0 failed$/m);

    standIn.answer(
      {
        tables: [{ name: "customer", status: "FAILED", error: "SourceTableMissing: erp.customer does not exist" }],
        differing: 0,
        repaired: 0,
      },
      1,
    );
    const failed = await lake(["reconcile", "customer"], cwd);
    assert.equal(failed.code, 1);
    assert.match(failed.out, /^customer {2}FAILED {4}SourceTableMissing: erp\.customer does not exist$/m);
  });

  it("refuses bad selections before running anything (exit 2), and an invalid tables.yaml (exit 3)", async () => {
    standIn.answer("never printed", 0);
    const cases: [string[], RegExp][] = [
      [["verify"], /name the tables, or give --domain <name>, or --all/],
      [["verify", "customer", "--all"], /exactly one of them/],
      [["verify", "custmer"], /not tables of tables\.yaml: custmer/],
      [["verify", "applicant"], /disabled in tables\.yaml \(enabled: false\): applicant/],
      [["verify", "--domain", "sale"], /--domain sale: not a domain of tables\.yaml/],
      [["reconcile", "customer", "--format", "yaml"], /--format must be "text" or "json"/],
      [["verify", "customer", "--dry-run"], /--dry-run applies to --stack only/],
    ];
    for (const [args, message] of cases) {
      const result = await lake(args, cwd);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.err}`);
      assert.match(result.err, message);
    }
    assert.throws(() => standIn.lastArgs(), /ENOENT/, "the script never ran");
    writeFileSync(
      join(cwd, "tables.yaml"),
      readFileSync(join(cwd, "tables.yaml"), "utf8").replace("    tier: daily\n", "    tier: dayly\n"),
    );
    const invalid = await lake(["verify", "customer"], cwd);
    assert.equal(invalid.code, 3);
    assert.match(invalid.err, /does not validate/);
  });

  it("reports the script's own failure (bad input, no JSON) with the end of its log, exit 2", async () => {
    standIn.answer("", 2, "line 1\nreconcile-local.sh: unknown table erp.nope\n");
    const bad = await lake(["verify", "customer"], cwd);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /exited 2 \(bad input\):\nline 1\nreconcile-local\.sh: unknown table erp\.nope/);

    standIn.answer("Traceback (most recent call last):", 1);
    const garbage = await lake(["verify", "customer"], cwd);
    assert.equal(garbage.code, 2);
    assert.match(garbage.err, /exited 1 but its output is not one JSON document/);
  });

  it("works as a real process: exit code and output through cli/index.ts", () => {
    standIn.answer(
      { tables: [{ name: "customer", status: "DIFFERS", reconcile: stats("verify", 1, 0, 0) }], differing: 1, repaired: 0 },
      1,
    );
    const result = lakeProcess(["verify", "customer"], cwd);
    assert.equal(result.code, 1, result.err);
    assert.match(result.out, /customer {2}DIFFERS/);
  });
});

describe("lake verify / lake reconcile --stack (real coordinator on moto behind a stand-in Lambda endpoint)", function () {
  this.timeout(60_000);
  let testLake: TestLake;
  let coordinator: TestCoordinator;
  let server: Server;
  let invoked: { path: string; body: unknown }[];
  let failNext: boolean;
  let cwd: string;
  const previousEndpoint = process.env["AWS_ENDPOINT_URL_LAMBDA"];

  beforeEach(async () => {
    await resetMoto();
    testLake = await createLake();
    coordinator = testLake.coordinator();
    invoked = [];
    failNext = false;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
        invoked.push({ path: req.url ?? "", body });
        if (failNext) {
          res.writeHead(200, { "Content-Type": "application/json", "X-Amz-Function-Error": "Unhandled" });
          res.end(JSON.stringify({ errorType: "ConfigError", errorMessage: "TIER_JOBS is not set" }));
          return;
        }
        coordinator.handle(body).then(
          (report) => {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(JSON.stringify(report));
          },
          (error: unknown) => {
            res.writeHead(500);
            res.end(String(error));
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env["AWS_ENDPOINT_URL_LAMBDA"] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cwd = dirname(testLake.tablesFile);
    writeFileSync(join(cwd, "Pulumi.test.yaml"), "config:\n  aws:region: eu-central-1\n  lake:name: acme\n");
  });
  afterEach(async () => {
    if (previousEndpoint === undefined) delete process.env["AWS_ENDPOINT_URL_LAMBDA"];
    else process.env["AWS_ENDPOINT_URL_LAMBDA"] = previousEndpoint;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("asks the stack's coordinator for a verify without a load; it plans exactly that", async () => {
    const result = await lake(["verify", "customer", "invoice", "--stack", "test", "--request-id", "ticket-7"], cwd);
    assert.equal(result.code, 0, result.err + result.out);
    assert.equal(invoked.length, 1);
    assert.equal(invoked[0]?.path, "/2015-03-31/functions/acme-test-coordinator/invocations");
    assert.deepEqual(invoked[0]?.body, {
      kind: "manual",
      tier: "daily",
      tables: ["customer", "invoice"],
      requestId: "ticket-7",
      reconcile: "verify",
      skipLoad: true,
    });
    const runId = /run (\S+) started/.exec(result.out)?.[1];
    assert.ok(runId, result.out);
    assert.match(result.out, /verify of 2 table\(s\) without a load/);
    const manifest = (await readManifest(testLake, `manifests/daily/${runId}.json`)) as RunManifest;
    assert.deepEqual(
      manifest.tables.map((t) => [t.name, t.reconcile]),
      [
        ["customer", { mode: "verify", skipLoad: true, repairAlertRows: 100 }],
        ["invoice", { mode: "verify", skipLoad: true, repairAlertRows: 100 }],
      ],
    );

    const again = await lake(["verify", "customer", "invoice", "--stack", "test", "--request-id", "ticket-7"], cwd);
    assert.equal(again.code, 0);
    assert.match(again.out, new RegExp(`request ticket-7 was already taken as run ${runId}`));
  });

  it("lake reconcile --domain: tables another run holds are named and make the exit 1; JSON carries the report", async () => {
    assert.equal((await lake(["verify", "customer", "--stack", "test"], cwd)).code, 0);
    const result = await lake(["reconcile", "--domain", "sales", "--stack", "test", "--format", "json"], cwd);
    assert.equal(result.code, 1, result.err);
    const doc = JSON.parse(result.out) as {
      event: { tables: string[]; reconcile: string };
      report: { outcome: string; leased: string[]; reconciling: string[]; busy: { table: string }[] };
    };
    assert.equal(doc.event.reconcile, "repair");
    assert.ok(doc.event.tables.includes("customer") && doc.event.tables.length > 1);
    assert.equal(doc.report.outcome, "started");
    assert.deepEqual(
      doc.report.busy.map((b) => b.table),
      ["customer"],
    );
    assert.deepEqual(doc.report.reconciling, doc.report.leased);
    assert.ok(!doc.report.leased.includes("customer"));
  });

  it("--dry-run prints the event without invoking; a failing function exits 2 with its error", async () => {
    const dry = await lake(["verify", "--all", "--stack", "test", "--dry-run", "--function", "other-fn"], cwd);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^dry run: would invoke other-fn \(eu-central-1\) with \{"kind":"manual","tier":"daily"/);
    assert.equal(invoked.length, 0);

    failNext = true;
    const failed = await lake(["verify", "customer", "--stack", "test"], cwd);
    assert.equal(failed.code, 2);
    assert.match(failed.err, /acme-test-coordinator failed \(Unhandled\): .*TIER_JOBS is not set/);
    assert.equal((await lake(["verify", "customer", "--stack", "nope"], cwd)).code, 2);
  });
});

/**
 * The state table's contract (handlers/contracts/state-table.json) across the two languages, on
 * moto's DynamoDB: the coordinator's store (TypeScript) leases, the job's StateStore (Python,
 * handlers/ingest/lake_ingest/state.py, run by the project's .venv) checks that lease and
 * commits or fails, and the coordinator's store reads what the job wrote. Every attribute either
 * side leaves behind has the type the contract declares.
 */
import assert from "node:assert/strict";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { stateKeys, TABLE_ITEM_ATTRIBUTES } from "../../handlers/contracts/stateTable";
import { DynamoLeaseStore } from "../../handlers/coordinator/aws/leaseStore";
import type { Item } from "../../handlers/coordinator/aws/values";
import { motoUrl, resetMoto } from "./support/moto";
import { createLake, STATE_TABLE, type TestLake } from "./support/lake";

const REPO = path.resolve(__dirname, "../..");

/** Runs one StateStore call in Python against moto; prints "ok" or the LeaseNotHeld message. */
function python(call: string, args: Record<string, unknown>): string {
  const script = [
    "import json, sys",
    "from lake_ingest.errors import LeaseNotHeld",
    "from lake_ingest.state import Commit, ReconcileStamp, StateStore",
    "a = json.loads(sys.argv[1])",
    "store = StateStore(a['stateTable'])",
    "try:",
    `    ${call}`,
    "    print('ok')",
    "except LeaseNotHeld as exc:",
    "    print(f'refused: {exc}')",
  ].join("\n");
  return execFileSync(path.join(REPO, ".venv/bin/python"), ["-c", script, JSON.stringify({ stateTable: STATE_TABLE, ...args })], {
    env: {
      ...process.env,
      PYTHONPATH: path.join(REPO, "handlers/ingest"),
      AWS_ENDPOINT_URL_DYNAMODB: motoUrl(),
      AWS_DEFAULT_REGION: "eu-central-1",
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    },
    encoding: "utf8",
  }).trim();
}

const COMMIT =
  "store.commit(a['table'], a['run'], Commit('2024-05-07T06:00:00.000001Z', 'timestamp', 'f1', 'LOADED', " +
  "'2024-05-07T06:01:00Z', 120, 118, 4321, ReconcileStamp('2024-05-07T06:01:00Z', 3, False)))";

describe("state-table contract across TypeScript and Python (moto)", function () {
  this.timeout(120_000);
  let lake: TestLake;
  let store: DynamoLeaseStore;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
    store = new DynamoLeaseStore(lake.clients.dynamodb, STATE_TABLE, "single");
  });

  async function rawItem(table: string): Promise<Item> {
    const res = await lake.clients.dynamodb.send(
      new GetItemCommand({ TableName: STATE_TABLE, Key: { pk: { S: stateKeys.table(table) } }, ConsistentRead: true }),
    );
    assert.ok(res.Item, `item of ${table}`);
    return res.Item;
  }

  function assertTypesDeclared(item: Item): void {
    for (const [name, value] of Object.entries(item)) {
      const declared = TABLE_ITEM_ATTRIBUTES[name];
      assert.ok(declared, `attribute ${name} is declared in state-table.json`);
      assert.deepEqual(Object.keys(value), [declared], `attribute ${name} has type ${declared}`);
    }
  }

  it("the job sees the coordinator's lease, and only the holder may commit", async () => {
    const lease = await store.lease(["customer"], "run-a", "daily", 1_700_000_000, 1_700_007_200);
    assert.deepEqual([...lease.leased.keys()], ["customer"]);
    assertTypesDeclared(await rawItem("customer"));
    assert.equal(python("store.require_lease(a['table'], a['run'])", { table: "customer", run: "run-a" }), "ok");
    assert.match(
      python("store.require_lease(a['table'], a['run'])", { table: "customer", run: "run-b" }),
      /leased by run run-a, not by run-b/,
    );
    assert.match(python(COMMIT, { table: "customer", run: "run-b" }), /^refused: .*run run-b no longer holds the lease/);
  });

  it("the coordinator's store reads the job's commit: watermark, counts, reconcile stamp, lease gone", async () => {
    await store.lease(["customer"], "run-a", "daily", 1_700_000_000, 1_700_007_200);
    assert.equal(python(COMMIT, { table: "customer", run: "run-a" }), "ok");
    const item = await rawItem("customer");
    assertTypesDeclared(item);
    const state = (await store.read(["customer"])).get("customer");
    assert.deepEqual(state, {
      table: "customer",
      watermark: { kind: "timestamp", value: "2024-05-07T06:00:00.000001Z" },
      schemaFingerprint: "f1",
      lastRunId: "run-a",
      lastStatus: "LOADED",
      lastLoadedAt: "2024-05-07T06:01:00Z",
      rowsRead: 120,
      rowsWritten: 118,
      lastReconciledAt: "2024-05-07T06:01:00Z",
      lastReconcileRepairs: 3,
      lastReconcileEqual: false,
    });
    assert.equal(item["durationMs"]?.N, "4321");
    // The table is free again: the next run leases it and gets the job's watermark back.
    const next = await store.lease(["customer"], "run-c", "daily", 1_700_000_100, 1_700_007_300);
    assert.deepEqual(next.leased.get("customer"), { kind: "timestamp", value: "2024-05-07T06:00:00.000001Z" });
  });

  it("the coordinator's store reads the job's failure and its run; the watermark is untouched", async () => {
    await store.lease(["orders"], "run-a", "daily", 1_700_000_000, 1_700_007_200);
    assert.equal(python(COMMIT, { table: "orders", run: "run-a" }), "ok");
    await store.lease(["orders"], "run-b", "daily", 1_700_000_100, 1_700_007_300);
    assert.equal(python("store.fail(a['table'], a['run'], 'source timed out')", { table: "orders", run: "run-b" }), "ok");
    assertTypesDeclared(await rawItem("orders"));
    const state = (await store.read(["orders"])).get("orders");
    assert.equal(state?.lastStatus, "FAILED");
    assert.equal(state?.failedRunId, "run-b");
    assert.equal(state?.lastError, "source timed out");
    assert.equal(state?.leaseRunId, undefined);
    assert.deepEqual(state?.watermark, { kind: "timestamp", value: "2024-05-07T06:00:00.000001Z" });
    // A release by the coordinator after the job let go is refused (not held), never an error.
    assert.deepEqual(await store.release(["orders"], "run-b"), { released: [], notHeld: ["orders"] });
  });
});

describe("STATE.md's attribute table agrees with state-table.json", () => {
  it("names every tableItem attribute with its type, and no other", () => {
    const text = readFileSync(path.join(REPO, "handlers/contracts/STATE.md"), "utf8");
    const section = text.slice(text.indexOf("## `table#"), text.indexOf("The operations on a table's item"));
    const documented: Record<string, string> = {};
    for (const row of section.matchAll(/^\| ((?:`\w+`(?:, )?)+) \| (\w+) \|/gm)) {
      for (const name of (row[1] ?? "").matchAll(/`(\w+)`/g)) documented[name[1] as string] = row[2] as string;
    }
    // The reset's two attributes are described in the operations' prose instead.
    const inTable = Object.fromEntries(Object.entries(TABLE_ITEM_ATTRIBUTES).filter(([name]) => !name.startsWith("lastReset")));
    assert.deepEqual(documented, inTable);
  });
});

/**
 * Transaction conflicts. moto serves one request at a time (scripts/moto_serial_server.py), so two
 * transactions never overlap there and it never cancels one with TransactionConflict: that answer
 * is mocked with aws-sdk-client-mock (TransactWriteItems only, for the calls the test names); every
 * other call, and every retry the test lets through, is moto's.
 */
import assert from "node:assert/strict";
import {
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type CancellationReason,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { conditionalUpdates, type ConditionalUpdate } from "../../handlers/coordinator/aws/conditionalWrites";
import { DynamoRunStore } from "../../handlers/coordinator/aws/runStore";
import type { RunRecord } from "../../handlers/coordinator/core/types";
import { resetMoto } from "./support/moto";
import { createLake, STATE_TABLE, type TestLake } from "./support/lake";

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({ message: "Transaction cancelled", $metadata: {}, CancellationReasons: reasons });
}

const update = (pk: string): ConditionalUpdate => ({
  Key: { pk: { S: pk } },
  UpdateExpression: "SET leaseRunId = :run",
  ConditionExpression: "attribute_not_exists(leaseRunId)",
  ExpressionAttributeValues: { ":run": { S: "run-1" } },
});

describe("coordinator transaction conflicts (moto; TransactionConflict mocked)", function () {
  this.timeout(60_000);
  let lake: TestLake;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
  });

  async function leaseOf(pk: string): Promise<string | undefined> {
    const res = await lake.clients.dynamodb.send(
      new GetItemCommand({ TableName: STATE_TABLE, Key: { pk: { S: pk } }, ConsistentRead: true }),
    );
    return res.Item?.["leaseRunId"]?.S;
  }

  it("a conflicted transaction is retried without the refused items; refused items are reported with the item", async () => {
    const held = { pk: { S: "table#c" }, leaseRunId: { S: "other-run" } };
    const mock = mockClient(lake.clients.dynamodb);
    mock.send.callThrough();
    mock
      .on(TransactWriteItemsCommand)
      .rejectsOnce(cancelled([{ Code: "None" }, { Code: "TransactionConflict" }, { Code: "ConditionalCheckFailed", Item: held }]));
    try {
      const out = await conditionalUpdates(lake.clients.dynamodb, STATE_TABLE, ["table#a", "table#b", "table#c"].map(update), "transact");
      assert.deepEqual([...out.applied.keys()].sort(), [0, 1]);
      assert.deepEqual([...out.refused.entries()], [[2, held]]);
      const calls = mock.commandCalls(TransactWriteItemsCommand);
      assert.equal(calls.length, 2, "one retry");
      assert.deepEqual(
        calls[1]?.args[0].input.TransactItems?.map((t) => t.Update?.Key?.["pk"]?.S),
        ["table#a", "table#b"],
        "the retry carries only the items that may still succeed",
      );
    } finally {
      mock.restore();
    }
    assert.equal(await leaseOf("table#a"), "run-1");
    assert.equal(await leaseOf("table#b"), "run-1");
    assert.equal(await leaseOf("table#c"), undefined, "the refused item was not written");
  });

  it("persistent conflicts fall back to one UpdateItem per item", async () => {
    const mock = mockClient(lake.clients.dynamodb);
    mock.send.callThrough();
    mock.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: "TransactionConflict" }, { Code: "TransactionConflict" }]));
    try {
      const out = await conditionalUpdates(lake.clients.dynamodb, STATE_TABLE, ["table#a", "table#b"].map(update), "transact");
      assert.deepEqual([...out.applied.keys()].sort(), [0, 1]);
      assert.equal(mock.commandCalls(TransactWriteItemsCommand).length, 8, "MAX_ATTEMPTS transactions");
      assert.equal(mock.commandCalls(UpdateItemCommand).length, 2);
    } finally {
      mock.restore();
    }
    assert.equal(await leaseOf("table#b"), "run-1");
  });

  it("a schedule claim that conflicts with a concurrent claim is retried and then sees the duplicate", async () => {
    const store = new DynamoRunStore(lake.clients.dynamodb, STATE_TABLE, () => 1_715_000_000);
    const run = (runId: string): RunRecord => ({
      runId,
      tier: "daily",
      trigger: "schedule",
      status: "STARTING",
      createdAt: "2024-05-06T23:30:00.000Z",
      tables: [],
    });
    const ttl = { schedule: 1, run: 1 };
    assert.deepEqual(await store.claim("schedule#daily#t", run("daily-a"), "h1", ttl), { claimed: true });
    const mock = mockClient(lake.clients.dynamodb);
    mock.send.callThrough();
    mock.on(TransactWriteItemsCommand).rejectsOnce(cancelled([{ Code: "TransactionConflict" }, { Code: "None" }]));
    try {
      assert.deepEqual(await store.claim("schedule#daily#t", run("daily-b"), "h2", ttl), { claimed: false, runId: "daily-a" });
      assert.equal(mock.commandCalls(TransactWriteItemsCommand).length, 2);
    } finally {
      mock.restore();
    }
    assert.equal(await store.get("daily-b"), undefined, "the loser's run record was not written");
  });
});

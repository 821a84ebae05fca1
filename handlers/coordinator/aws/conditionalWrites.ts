/**
 * Many independent conditional UpdateItems, either one call each or batched in TransactWriteItems
 * of up to 100. A transaction is all-or-nothing, so when some conditions fail it is cancelled:
 * the failed items are reported (with the item that failed them) and the rest are retried
 * without them. A transaction conflicting with another writer is retried with backoff.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  BatchGetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type CancellationReason,
  type DynamoDBClient,
  type TransactionCanceledException,
  type Update,
} from "@aws-sdk/client-dynamodb";
import { errorName, type Item } from "./values";

export type WriteMode = "transact" | "single";

export const TRANSACTION_LIMIT = 100;
const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 8;
const SINGLE_CONCURRENCY = 16;

/** One conditional update; `Key`, expressions and values as in UpdateItem. */
export type ConditionalUpdate = Omit<Update, "TableName" | "ReturnValuesOnConditionCheckFailure">;

export interface WriteOutcome {
  /** Indexes (into the input) of the updates applied, with the new item when the mode returns it. */
  readonly applied: Map<number, Item | undefined>;
  /** Indexes whose condition failed, with the item as it was (when DynamoDB returned it). */
  readonly refused: Map<number, Item | undefined>;
}

async function writeSingle(
  client: DynamoDBClient,
  table: string,
  updates: readonly ConditionalUpdate[],
  out: WriteOutcome,
  indexes: readonly number[],
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < indexes.length) {
      const i = indexes[next++] as number;
      const u = updates[i] as ConditionalUpdate;
      try {
        const res = await client.send(
          new UpdateItemCommand({ ...u, TableName: table, ReturnValues: "ALL_NEW", ReturnValuesOnConditionCheckFailure: "ALL_OLD" }),
        );
        out.applied.set(i, res.Attributes);
      } catch (error) {
        if (errorName(error) !== "ConditionalCheckFailedException") throw error;
        out.refused.set(i, (error as { Item?: Item }).Item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SINGLE_CONCURRENCY, indexes.length) }, worker));
}

function isCancelled(error: unknown): error is TransactionCanceledException {
  return errorName(error) === "TransactionCanceledException";
}

async function writeChunk(
  client: DynamoDBClient,
  table: string,
  updates: readonly ConditionalUpdate[],
  chunk: readonly number[],
  out: WriteOutcome,
): Promise<void> {
  let remaining = [...chunk];
  for (let attempt = 1; remaining.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) {
      // Persistent conflicts: finish one by one, which cannot conflict as a whole.
      await writeSingle(client, table, updates, out, remaining);
      return;
    }
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: remaining.map((i) => ({
            Update: { ...(updates[i] as ConditionalUpdate), TableName: table, ReturnValuesOnConditionCheckFailure: "ALL_OLD" },
          })),
        }),
      );
      for (const i of remaining) out.applied.set(i, undefined);
      return;
    } catch (error) {
      if (!isCancelled(error)) throw error;
      const reasons: CancellationReason[] = error.CancellationReasons ?? [];
      if (reasons.length !== remaining.length) throw error;
      let conflicted = false;
      const retry: number[] = [];
      reasons.forEach((reason, k) => {
        const i = remaining[k] as number;
        const code = reason.Code ?? "None";
        if (code === "ConditionalCheckFailed") out.refused.set(i, reason.Item);
        else if (code === "None" || code === "TransactionConflict") {
          conflicted ||= code === "TransactionConflict";
          retry.push(i);
        } else throw new Error(`TransactWriteItems item ${i} cancelled: ${code} ${reason.Message ?? ""}`.trim());
      });
      remaining = retry;
      if (conflicted) await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
}

export async function conditionalUpdates(
  client: DynamoDBClient,
  table: string,
  updates: readonly ConditionalUpdate[],
  mode: WriteMode,
): Promise<WriteOutcome> {
  const out: WriteOutcome = { applied: new Map(), refused: new Map() };
  const all = updates.map((_, i) => i);
  if (mode === "single") {
    await writeSingle(client, table, updates, out, all);
    return out;
  }
  for (let start = 0; start < all.length; start += TRANSACTION_LIMIT) {
    await writeChunk(client, table, updates, all.slice(start, start + TRANSACTION_LIMIT), out);
  }
  return out;
}

/** Strongly consistent BatchGetItem of many keys (100 per call, unprocessed keys retried). */
export async function consistentGet(client: DynamoDBClient, table: string, keys: readonly Item[]): Promise<Item[]> {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let request: Item[] = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let attempt = 1; request.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`BatchGetItem on ${table}: ${request.length} keys still unprocessed`);
      const res = await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: request, ConsistentRead: true } } }));
      items.push(...(res.Responses?.[table] ?? []));
      request = res.UnprocessedKeys?.[table]?.Keys ?? [];
      if (request.length > 0) await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
  return items;
}

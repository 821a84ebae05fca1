/** LeaseStore on the DynamoDB state table: leases, releases and catalog fingerprints of tables. */
import { UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { LeaseStore } from "../ports";
import type { BusyTable, LeaseResult, TableState, Watermark } from "../core/types";
import { conditionalUpdates, consistentGet, type ConditionalUpdate, type WriteMode } from "./conditionalWrites";
import { stateUpdate } from "../../contracts/stateTable";
import { tableKey, tableNameOfKey, tableStateOf, watermarkOf } from "./tableItems";
import { errorName, N, num, S, str } from "./values";

export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly mode: WriteMode = "transact",
  ) {}

  async lease(tables: readonly string[], runId: string, tier: string, nowSeconds: number, expiresAt: number): Promise<LeaseResult> {
    const updates: ConditionalUpdate[] = tables.map((name) => ({
      Key: tableKey(name),
      // Free, expired, or already ours (a retried call): never another live run's.
      ...stateUpdate("lease"),
      ExpressionAttributeValues: { ":run": S(runId), ":tier": S(tier), ":exp": N(expiresAt), ":now": N(nowSeconds), ":table": S(name) },
    }));
    const out = await conditionalUpdates(this.client, this.tableName, updates, this.mode);
    const busy: BusyTable[] = [...out.refused.entries()].map(([i, item]) => ({
      table: tables[i] as string,
      holderRunId: str(item, "leaseRunId"),
      holderTier: str(item, "leaseTier"),
      expiresAt: num(item, "leaseExpiresAt"),
    }));
    const leased = new Map<string, Watermark | null>();
    const reconciledAt = new Map<string, string>();
    const needRead: string[] = [];
    for (const [i, item] of out.applied) {
      const name = tables[i] as string;
      if (!item) {
        needRead.push(name);
        continue;
      }
      leased.set(name, watermarkOf(item));
      const at = str(item, "lastReconciledAt");
      if (at !== undefined) reconciledAt.set(name, at);
    }
    // Transactions return no items: read the items we now hold (stable: only the holder commits).
    if (needRead.length > 0) {
      const states = await this.read(needRead);
      for (const name of needRead) {
        const state = states.get(name);
        leased.set(name, state?.watermark ?? null);
        if (state?.lastReconciledAt !== undefined) reconciledAt.set(name, state.lastReconciledAt);
      }
    }
    const ordered = new Map(tables.filter((t) => leased.has(t)).map((t) => [t, leased.get(t) ?? null]));
    return { leased: ordered, busy, lastReconciledAt: reconciledAt };
  }

  async release(tables: readonly string[], runId: string, failure?: string): Promise<{ released: string[]; notHeld: string[] }> {
    const updates: ConditionalUpdate[] = tables.map((name) => ({
      Key: tableKey(name),
      ...stateUpdate("release", failure !== undefined ? ["failure"] : []),
      ExpressionAttributeValues: {
        ":run": S(runId),
        ...(failure !== undefined ? { ":failed": S("FAILED"), ":err": S(failure) } : {}),
      },
    }));
    const out = await conditionalUpdates(this.client, this.tableName, updates, this.mode);
    return {
      released: tables.filter((_, i) => out.applied.has(i)),
      notHeld: tables.filter((_, i) => out.refused.has(i)),
    };
  }

  async read(tables: readonly string[]): Promise<Map<string, TableState>> {
    const items = await consistentGet(this.client, this.tableName, [...new Set(tables)].map(tableKey));
    const states = new Map<string, TableState>();
    for (const item of items) {
      const name = tableNameOfKey(str(item, "pk") ?? "");
      if (name !== undefined) states.set(name, tableStateOf(name, item));
    }
    return states;
  }

  async markCatalogued(table: string, fingerprint: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: tableKey(table),
          ...stateUpdate("markCatalogued"),
          ExpressionAttributeValues: { ":f": S(fingerprint) },
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  async uncatalogue(table: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: tableKey(table),
          ...stateUpdate("uncatalogue"),
        }),
      );
    } catch (error) {
      if (errorName(error) !== "ConditionalCheckFailedException") throw error;
    }
  }
}

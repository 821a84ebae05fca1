/**
 * CrawlQueue on the DynamoDB state table: `crawler#pending` (SS of tables waiting for a crawl) and
 * `crawler#lock#<domain>` (a short lock plus the tables of the domain's crawl in flight).
 */
import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { stateKeys } from "../../../model";
import type { CrawlQueue } from "../ports";
import { errorName, N, S, SS, strSet } from "./values";

export const crawlerLockKey = stateKeys.crawlerLock;

export class DynamoCrawlQueue implements CrawlQueue {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private async update(pk: string, expression: string, values: Record<string, ReturnType<typeof S>>, condition?: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: S(pk) },
          UpdateExpression: expression,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
          ...(condition ? { ConditionExpression: condition } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (condition && errorName(error) === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  private async getSet(pk: string, attribute: string): Promise<string[]> {
    const res = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: S(pk) }, ConsistentRead: true }));
    return strSet(res.Item, attribute).sort();
  }

  async add(tables: readonly string[]): Promise<void> {
    if (tables.length > 0) await this.update(stateKeys.crawlerPending, "ADD tables :t", { ":t": SS([...new Set(tables)]) });
  }

  pending(): Promise<string[]> {
    return this.getSet(stateKeys.crawlerPending, "tables");
  }

  async remove(tables: readonly string[]): Promise<void> {
    if (tables.length > 0) await this.update(stateKeys.crawlerPending, "DELETE tables :t", { ":t": SS([...new Set(tables)]) });
  }

  lock(domain: string, holder: string, nowSeconds: number, expiresAt: number): Promise<boolean> {
    return this.update(
      crawlerLockKey(domain),
      "SET lockHolder = :h, lockExpiresAt = :exp",
      { ":h": S(holder), ":exp": N(expiresAt), ":now": N(nowSeconds) },
      "attribute_not_exists(lockHolder) OR lockExpiresAt < :now OR lockHolder = :h",
    );
  }

  async unlock(domain: string, holder: string): Promise<void> {
    await this.update(crawlerLockKey(domain), "REMOVE lockHolder, lockExpiresAt", { ":h": S(holder) }, "lockHolder = :h");
  }

  inFlight(domain: string): Promise<string[]> {
    return this.getSet(crawlerLockKey(domain), "inFlight");
  }

  async setInFlight(domain: string, holder: string, tables: readonly string[]): Promise<void> {
    // Only the lock holder records what its crawl covers.
    const ok =
      tables.length > 0
        ? await this.update(
            crawlerLockKey(domain),
            "SET inFlight = :t, inFlightBy = :h",
            { ":t": SS([...new Set(tables)]), ":h": S(holder) },
            "lockHolder = :h",
          )
        : await this.update(crawlerLockKey(domain), "REMOVE inFlight, inFlightBy", { ":h": S(holder) }, "lockHolder = :h");
    if (!ok) throw new Error(`crawler lock of domain ${domain} is no longer held by ${holder}`);
  }
}

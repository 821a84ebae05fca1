/** RunStore on the DynamoDB state table: `schedule#...` idempotency records and `run#<id>` items. */
import { GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { stateKeys } from "../../../model";
import type { RunStore, ScheduleClaim } from "../ports";
import type { RunRecord, RunStatus, Trigger } from "../core/types";
import { errorName, L, N, S, str, strList, type Item } from "./values";

type Fields = Parameters<RunStore["transition"]>[3];
type Stale = Parameters<RunStore["transition"]>[4];

const STATUSES: readonly RunStatus[] = ["STARTING", "RUNNING", "START_FAILED", "FINALIZING", "FINALIZED"];

function runOf(item: Item): RunRecord | undefined {
  const runId = str(item, "runId");
  const tier = str(item, "tier");
  const status = str(item, "status");
  const createdAt = str(item, "createdAt");
  const trigger = str(item, "trigger");
  if (!runId || !tier || !createdAt || !status || !(STATUSES as readonly string[]).includes(status)) return undefined;
  const optional = (key: keyof RunRecord, value: string | undefined): Partial<RunRecord> => (value === undefined ? {} : { [key]: value });
  return {
    runId,
    tier,
    trigger: (trigger === "manual" ? "manual" : "schedule") as Trigger,
    status: status as RunStatus,
    createdAt,
    ...optional("scheduledAt", str(item, "scheduledAt")),
    ...optional("manifestKey", str(item, "manifestKey")),
    ...optional("jobName", str(item, "jobName")),
    ...optional("jobRunId", str(item, "jobRunId")),
    tables: strList(item, "tables"),
  };
}

export class DynamoRunStore implements RunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number,
  ) {}

  async claimSchedule(key: string, runId: string, ttl: number): Promise<ScheduleClaim> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { pk: S(key), runId: S(runId), ttl: N(ttl) },
          ConditionExpression: "attribute_not_exists(pk)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (errorName(error) !== "ConditionalCheckFailedException") throw error;
      return { claimed: false, runId: str((error as { Item?: Item }).Item, "runId") };
    }
  }

  async create(run: RunRecord, ttl: number): Promise<void> {
    const item: Item = {
      pk: S(stateKeys.run(run.runId)),
      runId: S(run.runId),
      tier: S(run.tier),
      trigger: S(run.trigger),
      status: S(run.status),
      createdAt: S(run.createdAt),
      updatedAt: N(this.nowSeconds()),
      tables: L(run.tables),
      ttl: N(ttl),
    };
    if (run.scheduledAt) item["scheduledAt"] = S(run.scheduledAt);
    if (run.jobName) item["jobName"] = S(run.jobName);
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" }));
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: S(stateKeys.run(runId)) }, ConsistentRead: true }),
    );
    return res.Item ? runOf(res.Item) : undefined;
  }

  async transition(runId: string, from: readonly RunStatus[], to: RunStatus, fields: Fields = {}, stale?: Stale): Promise<boolean> {
    const values: Record<string, AttributeValue> = { ":to": S(to), ":now": N(this.nowSeconds()) };
    const sets = ["#s = :to", "updatedAt = :now"];
    const add = (name: string, value: AttributeValue | undefined): void => {
      if (value === undefined) return;
      values[`:${name}`] = value;
      sets.push(`${name} = :${name}`);
    };
    add("manifestKey", fields.manifestKey !== undefined ? S(fields.manifestKey) : undefined);
    add("jobName", fields.jobName !== undefined ? S(fields.jobName) : undefined);
    add("jobRunId", fields.jobRunId !== undefined ? S(fields.jobRunId) : undefined);
    add("tables", fields.tables !== undefined ? L(fields.tables) : undefined);
    add("lastError", fields.error !== undefined ? S(fields.error) : undefined);
    from.forEach((status, i) => (values[`:from${i}`] = S(status)));
    let condition = `#s IN (${from.map((_, i) => `:from${i}`).join(", ")})`;
    if (stale) {
      values[":staleStatus"] = S(stale.status);
      values[":staleBefore"] = N(stale.updatedBefore);
      condition = `(${condition}) OR (#s = :staleStatus AND updatedAt < :staleBefore)`;
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: S(stateKeys.run(runId)) },
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: `attribute_exists(pk) AND (${condition})`,
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }
}

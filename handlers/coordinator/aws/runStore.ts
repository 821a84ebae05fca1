/** RunStore on the DynamoDB state table: `schedule#...` idempotency records and `run#<id>` items. */
import { setTimeout as sleep } from "node:timers/promises";
import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactionCanceledException,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { stateKeys } from "../../../model";
import type { RunFields, RunStore, ScheduleClaim } from "../ports";
import type { RunRecord, RunStatus, Trigger } from "../core/types";
import { errorName, L, N, S, str, strList, type Item } from "./values";

type Stale = Parameters<RunStore["transition"]>[4];

/** Attempts of the claim transaction while it conflicts with a concurrent one on the same items. */
const CLAIM_ATTEMPTS = 5;

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

  async claim(key: string, run: RunRecord, holder: string, ttl: { schedule: number; run: number }): Promise<ScheduleClaim> {
    const item: Item = {
      pk: S(stateKeys.run(run.runId)),
      runId: S(run.runId),
      tier: S(run.tier),
      trigger: S(run.trigger),
      status: S(run.status),
      createdAt: S(run.createdAt),
      updatedAt: N(this.nowSeconds()),
      startedBy: S(holder),
      tables: L(run.tables),
      ttl: N(ttl.run),
    };
    if (run.scheduledAt) item["scheduledAt"] = S(run.scheduledAt);
    if (run.jobName) item["jobName"] = S(run.jobName);
    const input: TransactWriteItemsCommandInput = {
      TransactItems: [
        {
          Put: {
            TableName: this.tableName,
            Item: { pk: S(key), runId: S(run.runId), ttl: N(ttl.schedule) },
            ConditionExpression: "attribute_not_exists(pk)",
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        { Put: { TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" } },
      ],
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteItemsCommand(input));
        return { claimed: true };
      } catch (error) {
        if (errorName(error) !== "TransactionCanceledException") throw error;
        const [schedule, record] = (error as TransactionCanceledException).CancellationReasons ?? [];
        if (schedule?.Code === "ConditionalCheckFailed") return { claimed: false, runId: str(schedule.Item, "runId") };
        // A concurrent delivery of the same event is claiming the same item: once it commits, the
        // retry sees its claim (a duplicate); DynamoDB cancels both sides of such a conflict.
        const conflict = schedule?.Code === "TransactionConflict" || record?.Code === "TransactionConflict";
        if (!conflict || attempt >= CLAIM_ATTEMPTS) throw error;
        await sleep(Math.random() * 25 * 2 ** attempt);
      }
    }
  }

  async resume(runId: string, holder: string, staleBefore: number): Promise<RunRecord | undefined> {
    try {
      const res = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: S(stateKeys.run(runId)) },
          UpdateExpression: "SET startedBy = :h, updatedAt = :now",
          ConditionExpression: "#s = :starting AND attribute_not_exists(jobRunId) AND updatedAt < :stale",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":h": S(holder),
            ":now": N(this.nowSeconds()),
            ":starting": S("STARTING"),
            ":stale": N(staleBefore),
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return res.Attributes ? runOf(res.Attributes) : undefined;
    } catch (error) {
      if (errorName(error) === "ConditionalCheckFailedException") return undefined;
      throw error;
    }
  }

  advanceStart(runId: string, holder: string, to: RunStatus, fields: RunFields = {}): Promise<boolean> {
    return this.update(runId, to, fields, "#s = :starting AND startedBy = :holder AND attribute_not_exists(jobRunId)", {
      ":starting": S("STARTING"),
      ":holder": S(holder),
    });
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: S(stateKeys.run(runId)) }, ConsistentRead: true }),
    );
    return res.Item ? runOf(res.Item) : undefined;
  }

  transition(runId: string, from: readonly RunStatus[], to: RunStatus, fields: RunFields = {}, stale?: Stale): Promise<boolean> {
    const values: Record<string, AttributeValue> = {};
    from.forEach((status, i) => (values[`:from${i}`] = S(status)));
    let condition = `#s IN (${from.map((_, i) => `:from${i}`).join(", ")})`;
    if (stale) {
      values[":staleStatus"] = S(stale.status);
      values[":staleBefore"] = N(stale.updatedBefore);
      condition = `(${condition}) OR (#s = :staleStatus AND updatedAt < :staleBefore)`;
    }
    return this.update(runId, to, fields, condition, values);
  }

  /** SET status = `to`, updatedAt and the fields IF the run exists AND `condition`; false if refused. */
  private async update(
    runId: string,
    to: RunStatus,
    fields: RunFields,
    condition: string,
    conditionValues: Record<string, AttributeValue>,
  ): Promise<boolean> {
    const values: Record<string, AttributeValue> = { ...conditionValues, ":to": S(to), ":now": N(this.nowSeconds()) };
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

/**
 * The one state write the CLI makes (handlers/contracts/STATE.md, "Reset"): a table's watermark
 * removed so its next load reads the source from scratch, only while no live run holds the table.
 */
import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { stateUpdate } from "../../handlers/contracts/stateTable";
import { tableKey } from "../../handlers/coordinator/aws/tableItems";
import { N, S, str, type Item } from "../../handlers/coordinator/aws/values";

export type ResetOutcome = { readonly reset: true } | { readonly reset: false; readonly holderRunId: string | undefined };

export async function resetWatermark(
  client: DynamoDBClient,
  stateTable: string,
  table: string,
  requestId: string,
  now: Date,
): Promise<ResetOutcome> {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: stateTable,
        Key: tableKey(table),
        ...stateUpdate("reset"),
        ExpressionAttributeValues: { ":at": S(now.toISOString()), ":req": S(requestId), ":now": N(Math.floor(now.getTime() / 1000)) },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    );
    return { reset: true };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      return { reset: false, holderRunId: str(error.Item as Item | undefined, "leaseRunId") };
    throw error;
  }
}

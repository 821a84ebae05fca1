/**
 * The state table's contract (state-table.json), typed for TypeScript: the partition keys, the
 * attribute types of a `table#` item and the conditional updates by name. The coordinator's
 * store, the CLI and the tests build their writes from here; the Python job reads the same file.
 */
import contract from "./state-table.json";

export type AttributeType = "S" | "N" | "BOOL" | "SS" | "L";
export type StateOperationName = keyof typeof contract.operations;

interface OperationSpec {
  readonly writer: string;
  readonly set: readonly string[];
  readonly setWhen?: Readonly<Record<string, readonly string[]>>;
  readonly remove: readonly string[];
  readonly names?: Readonly<Record<string, string>>;
  readonly condition: string;
}

/** The expressions of one conditional UpdateItem. */
export interface StateUpdate {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
}

const OPERATIONS: Readonly<Record<StateOperationName, OperationSpec>> = contract.operations;

/** Attribute -> DynamoDB type of a `table#<name>` item. */
export const TABLE_ITEM_ATTRIBUTES: Readonly<Record<string, AttributeType>> = contract.tableItem as Record<string, AttributeType>;
export const WATERMARK_KINDS: readonly string[] = contract.watermarkKinds;
export const PARTITION_KEY: string = contract.partitionKey;

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`state-table.json key ${template}: no value for {${name}}`);
    return value;
  });
}

/** State-table partition keys, from state-table.json's `keys`. */
export const stateKeys = {
  table: (table: string): string => fill(contract.keys.table, { table }),
  run: (runId: string): string => fill(contract.keys.run, { runId }),
  schedule: (tier: string, scheduledAt: string): string => fill(contract.keys.schedule, { tier, scheduledAt }),
  crawlerPending: contract.keys.crawlerPending,
  crawlerLock: (domain: string): string => fill(contract.keys.crawlerLock, { domain }),
} as const;

/**
 * The UpdateItem expressions of a named operation; `when` adds the optional SET parts that apply
 * (e.g. commit's "position" when the load saw a watermark).
 */
export function stateUpdate(name: StateOperationName, when: readonly string[] = []): StateUpdate {
  const op = OPERATIONS[name];
  const set = [...op.set];
  for (const part of when) {
    const extra = op.setWhen?.[part];
    if (extra === undefined) throw new Error(`state-table.json operation ${name} has no optional part "${part}"`);
    set.push(...extra);
  }
  const clauses = [set.length > 0 ? `SET ${set.join(", ")}` : "", op.remove.length > 0 ? `REMOVE ${op.remove.join(", ")}` : ""];
  return {
    UpdateExpression: clauses.filter((c) => c !== "").join(" "),
    ConditionExpression: op.condition,
    ...(op.names !== undefined ? { ExpressionAttributeNames: { ...op.names } } : {}),
  };
}

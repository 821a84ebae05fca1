/**
 * Where a lake's run state lives, for the operating commands (status, reload): a local or moto
 * state table named on the command line, or a deployed stack. For a stack, the coordinator
 * Lambda's name follows from Pulumi.<stack>.yaml (`<lake:name>-<stack>-coordinator`, as
 * stacks/lake.ts names it) and the state table is the one that Lambda is configured with
 * (its STATE_TABLE), so the CLI reads exactly the table the coordinator writes.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { dirname, resolve } from "node:path";
import { stringOption, UsageError, type ParsedArgs } from "../args";
import type { Io } from "../io";
import { readStackFile } from "../stackFile";
import { isValidTimeZone } from "../../model";

export const TARGET_OPTIONS = {
  stack: { type: "string" },
  "state-table": { type: "string" },
  endpoint: { type: "string" },
  region: { type: "string" },
  "time-zone": { type: "string" },
  function: { type: "string" },
  file: { type: "string" },
} as const;

export const TARGET_USAGE = `  --stack <s>            a deployed stack: Pulumi.<s>.yaml gives the lake name, region and business time
                         zone; the state table is the coordinator Lambda's STATE_TABLE
  --state-table <t>      a state table by name (local runs, moto), with --endpoint <url> and --region
  --time-zone <zone>     time zone of tiers without one (default: the stack's lake:businessTimeZone, else UTC)
  --file <tables.yaml>   default: the stack's lake:tablesFile, else ./tables.yaml`;

export interface StateTarget {
  /** For messages: "stack dev" or "state table lake-state at http://...". */
  readonly label: string;
  readonly stateTable: string;
  /** Coordinator Lambda name, when known (a stack, or --function). */
  readonly coordinatorFunction: string | undefined;
  readonly businessTimeZone: string;
  readonly tablesFile: string;
  readonly dynamodb: DynamoDBClient;
  readonly lambda: LambdaClient;
}

/** The coordinator function's name for a lake and stack, as stacks/lake.ts and components/coordinator.ts name it. */
export function coordinatorFunctionName(lakeName: string, stack: string): string {
  return `${lakeName}-${stack}-coordinator`;
}

function clients(
  endpoint: string | undefined,
  region: string,
  lambdaEndpoint: string | undefined,
): { dynamodb: DynamoDBClient; lambda: LambdaClient } {
  const lambdaAt = lambdaEndpoint ?? endpoint;
  return {
    dynamodb: new DynamoDBClient({ region, ...(endpoint ? { endpoint } : {}) }),
    lambda: new LambdaClient({ region, ...(lambdaAt ? { endpoint: lambdaAt } : {}) }),
  };
}

function timeZoneOption(value: string | undefined, fallback: string): string {
  const zone = value ?? fallback;
  if (!isValidTimeZone(zone)) throw new UsageError(`--time-zone "${zone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  return zone;
}

/** `lambdaEndpoint`: where the coordinator Lambda answers when not at `--endpoint` (reload). */
export async function resolveTarget(args: ParsedArgs, io: Io, lambdaEndpoint?: string): Promise<StateTarget> {
  const stack = stringOption(args, "stack");
  const stateTable = stringOption(args, "state-table");
  const endpoint = stringOption(args, "endpoint");
  if ((stack === undefined) === (stateTable === undefined)) throw new UsageError("give exactly one of --stack <s> and --state-table <t>");
  const file = stringOption(args, "file");
  if (stateTable !== undefined) {
    const region = stringOption(args, "region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError("--region is required with --state-table (or set AWS_REGION)");
    return {
      label: `state table ${stateTable}${endpoint ? ` at ${endpoint}` : ""}`,
      stateTable,
      coordinatorFunction: stringOption(args, "function"),
      businessTimeZone: timeZoneOption(stringOption(args, "time-zone"), "UTC"),
      tablesFile: resolve(io.cwd, file ?? "tables.yaml"),
      ...clients(endpoint, region, lambdaEndpoint),
    };
  }
  const stackName = stack as string;
  const stackFile = readStackFile(stackName, [io.cwd]);
  const config = stackFile.config;
  const text = (key: string): string | undefined => (typeof config[key] === "string" ? (config[key] as string) : undefined);
  const lakeName = text("lake:name");
  const region = stringOption(args, "region") ?? text("aws:region");
  if (!lakeName || !region)
    throw new UsageError(`${stackFile.path}: lake:name and aws:region are required to find the stack's coordinator`);
  const functionName = stringOption(args, "function") ?? coordinatorFunctionName(lakeName, stackName);
  const aws = clients(endpoint, region, lambdaEndpoint);
  let configured: string | undefined;
  try {
    const fn = await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    configured = fn.Environment?.Variables?.STATE_TABLE;
  } catch (error) {
    throw new Error(`stack ${stackName}: cannot read the coordinator function ${functionName} in ${region}: ${(error as Error).message}`);
  }
  if (!configured) throw new Error(`stack ${stackName}: the coordinator function ${functionName} has no STATE_TABLE in its environment`);
  return {
    label: `stack ${stackName} (state table ${configured})`,
    stateTable: configured,
    coordinatorFunction: functionName,
    businessTimeZone: timeZoneOption(stringOption(args, "time-zone"), text("lake:businessTimeZone") ?? "UTC"),
    tablesFile: file !== undefined ? resolve(io.cwd, file) : resolve(dirname(stackFile.path), text("lake:tablesFile") ?? "tables.yaml"),
    ...aws,
  };
}

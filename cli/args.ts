/** A plain argv parser (node:util parseArgs) with usage errors the CLI maps to exit code 2. */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Wrong invocation: unknown option, missing value, bad value. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export function parseCommandArgs(argv: readonly string[], options: OptionSpec, maxPositionals: number): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument(s): ${parsed.positionals.slice(maxPositionals).join(" ")}`);
  }
  return { positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined> };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number (got "${text}")`);
  return value;
}

export function formatOption(args: ParsedArgs): "text" | "json" {
  const format = stringOption(args, "format") ?? "text";
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be "text" or "json" (got "${format}")`);
  return format;
}

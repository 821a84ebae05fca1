/** Reads tables.yaml through the model; a file that does not validate is reported, never guessed at. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "./args";
import type { Io } from "./io";
import { checkTablesYaml, formatIssue, type LakeModel, type LoadOptions } from "../model";

export interface LoadedTables {
  /** As given on the command line (for messages). */
  readonly file: string;
  readonly path: string;
  readonly text: string;
  readonly model: LakeModel;
}

/** The model of the file, or undefined after printing every issue to stderr. */
export function loadTables(file: string, io: Io, options: LoadOptions = {}): LoadedTables | undefined {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const result = checkTablesYaml(text, file, options);
  if (!result.model) {
    io.err(`${file} does not validate; fix it first (lake validate ${file}):`);
    for (const issue of result.issues) io.err("  " + formatIssue(issue));
    return undefined;
  }
  return { file, path, text, model: result.model };
}

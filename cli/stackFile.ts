/**
 * Pulumi.<stack>.yaml: the stack's config block as `pulumi config` holds it (namespace:key ->
 * value), for offline synthesis, role names and Glue worker settings. Not tables.yaml: that is
 * read only through the model.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { GLUE_JOB_DEFAULTS } from "../components/defaults";
import { UsageError } from "./args";
import type { WorkerSettings } from "./cost";

/** The repository the CLI belongs to (components, handlers, Pulumi.*.yaml). */
export const REPO_ROOT = resolve(__dirname, "..");

export interface StackFile {
  readonly stack: string;
  readonly path: string;
  readonly config: Readonly<Record<string, unknown>>;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

/** Finds Pulumi.<stack>.yaml in the given directories (first match), else the CLI's repository. */
export function readStackFile(stack: string, dirs: readonly string[] = [process.cwd()]): StackFile {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack "${stack}" is not a stack name`);
  const candidates = [...dirs, REPO_ROOT].map((d) => join(d, `Pulumi.${stack}.yaml`));
  const path = candidates.find((c) => existsSync(c));
  if (!path) throw new UsageError(`no stack file Pulumi.${stack}.yaml (looked in ${[...new Set(candidates)].join(", ")})`);
  const doc: unknown = parse(readFileSync(path, "utf8"));
  if (!isDict(doc) || !isDict(doc.config)) throw new Error(`${path}: no "config" mapping`);
  return { stack, path, config: doc.config };
}

export function rolePrincipalNames(file: StackFile): string[] {
  const principals = file.config["lake:rolePrincipals"];
  return isDict(principals) ? Object.keys(principals) : [];
}

/** lake:glue tiers.<tier> over defaults, with the component's own defaults (GLUE_JOB_DEFAULTS). */
export function workerSettings(file: StackFile, tier: string): WorkerSettings {
  const glue = isDict(file.config["lake:glue"]) ? (file.config["lake:glue"] as Dict) : {};
  const defaults = isDict(glue.defaults) ? glue.defaults : {};
  const tiers = isDict(glue.tiers) ? glue.tiers : {};
  const own = isDict(tiers[tier]) ? (tiers[tier] as Dict) : {};
  const merged = { ...defaults, ...own };
  return {
    workerType: typeof merged.workerType === "string" ? merged.workerType : GLUE_JOB_DEFAULTS.workerType,
    numberOfWorkers: typeof merged.numberOfWorkers === "number" ? merged.numberOfWorkers : GLUE_JOB_DEFAULTS.numberOfWorkers,
    flex: typeof merged.flex === "boolean" ? merged.flex : GLUE_JOB_DEFAULTS.flex,
  };
}

/** The whole program as a function, so the Pulumi entry point and the tests run the same code. */
import { resolve } from "node:path";
import { loadTablesYaml } from "../model";
import { readStackConfig } from "./config";
import { createLake, type LakeOutputs } from "./lake";

export const REPO_ROOT = resolve(__dirname, "..");

export function runLakeProgram(root = REPO_ROOT): LakeOutputs {
  const config = readStackConfig();
  // Validated before any resource is declared: a bad tables.yaml changes nothing.
  const model = loadTablesYaml(resolve(root, config.tablesFile), { knownRoles: Object.keys(config.rolePrincipals) });
  return createLake(model, config, root);
}

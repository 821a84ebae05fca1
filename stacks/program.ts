/** The whole program as a function, so the Pulumi entry point and the tests run the same code. */
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../components/packageFiles";
import { loadTablesYaml } from "../model";
import { readStackConfig } from "./config";
import { createLake, type LakeOutputs } from "./lake";

/** This program is the package that holds it: its root is the package root. */
export const REPO_ROOT = PACKAGE_ROOT;

export function runLakeProgram(root = REPO_ROOT): LakeOutputs {
  const config = readStackConfig();
  // Validated before any resource is declared: a bad tables.yaml changes nothing.
  const model = loadTablesYaml(resolve(root, config.tablesFile), { knownRoles: Object.keys(config.rolePrincipals) });
  return createLake(model, config, root);
}

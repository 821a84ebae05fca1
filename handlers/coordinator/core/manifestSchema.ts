/** Validates a manifest against the contract shared with the Python job (the same JSON Schema file). */
import Ajv from "ajv";
import schema from "../../contracts/run-manifest.schema.json";
import type { RunManifest } from "./manifest";

let validator: ReturnType<Ajv["compile"]> | undefined;

function compiled(): ReturnType<Ajv["compile"]> {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  return validator;
}

/** Problems with a manifest, one line each; empty when it is valid. */
export function manifestProblems(manifest: unknown): string[] {
  const validate = compiled();
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`);
}

export function isValidManifest(manifest: unknown): manifest is RunManifest {
  return manifestProblems(manifest).length === 0;
}

/**
 * The access audit as a function (the demo calls it after every run; `lake access` prints it):
 * reads the Lake Formation state and judges it against tables.yaml.
 */
import type { LakeModel } from "../../model";
import { auditAccess, type AccessAudit } from "./audit";
import { definedTagKeys, readLfState, type StateClients } from "./readState";

export type { AccessAudit, AccessCell, Violation } from "./audit";

export interface LakeAccessOptions {
  readonly model: LakeModel;
  /** Catalog database prefix (`<lake>_<stack>`, stacks/lake.ts; DATABASE_PREFIX of the coordinator). */
  readonly databasePrefix: string;
  readonly rolePrincipals: Readonly<Record<string, string>>;
  /** lake:lakeFormation.tagKeyPrefix (default none). */
  readonly tagKeyPrefix?: string;
  /** The clients talk to moto: its HTTP 500 for a never-tagged resource reads as "no tags" (aws/lfTags.ts). */
  readonly localEndpoint?: boolean;
}

export interface LakeAccessReport extends AccessAudit {
  /** LF-tag keys the audit needs that Lake Formation does not define (then every grant on them matches nothing). */
  readonly missingTagKeys: readonly string[];
}

export async function auditLakeAccess(clients: StateClients, options: LakeAccessOptions): Promise<LakeAccessReport> {
  const domainKey = `${options.tagKeyPrefix ?? ""}domain`;
  const piiKey = `${options.tagKeyPrefix ?? ""}pii`;
  const defined = await definedTagKeys(clients.lakeformation);
  const state = await readLfState(clients, options.model, options.databasePrefix, { tolerateMotoUntagged: options.localEndpoint ?? false });
  const audit = auditAccess(state, { model: options.model, rolePrincipals: options.rolePrincipals, domainKey, piiKey });
  return { ...audit, missingTagKeys: [domainKey, piiKey].filter((k) => !defined.includes(k)) };
}

/** The access matrix (role x domain: PII cleared or not) and how a change moves it. */
import type { LakeModel } from "../../model";

export type Access = "none" | "no-pii" | "pii";

export const ACCESS_LABEL: Readonly<Record<Access, string>> = { none: "–", "no-pii": "read, PII hidden", pii: "read + PII" };

export function accessMatrix(model: LakeModel): Map<string, Map<string, Access>> {
  const matrix = new Map<string, Map<string, Access>>();
  for (const rule of model.access) {
    const row = new Map<string, Access>();
    for (const domain of model.domains) row.set(domain.name, rule.domains.includes(domain.name) ? (rule.pii ? "pii" : "no-pii") : "none");
    matrix.set(rule.role, row);
  }
  return matrix;
}

export interface AccessChange {
  readonly role: string;
  readonly domain: string;
  readonly before: Access;
  readonly after: Access;
}

export function diffAccess(base: LakeModel, head: LakeModel): AccessChange[] {
  const was = accessMatrix(base);
  const now = accessMatrix(head);
  const roles = [...new Set([...was.keys(), ...now.keys()])];
  const domains = [...new Set([...base.domains, ...head.domains].map((d) => d.name))];
  const out: AccessChange[] = [];
  for (const role of roles) {
    for (const domain of domains) {
      const before = was.get(role)?.get(domain) ?? "none";
      const after = now.get(role)?.get(domain) ?? "none";
      if (before !== after) out.push({ role, domain, before, after });
    }
  }
  return out;
}

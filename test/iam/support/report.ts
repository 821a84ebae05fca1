/** Text report of evaluated recordings: per role, calls allowed/denied, the denials, and unused allowed actions. */
import { countDecisions, unusedAllowedActions, type RoleEvaluation } from "./evaluate";
import type { SynthesizedLake } from "./synthesized";

export function denials(evaluation: RoleEvaluation): string[] {
  return evaluation.checks
    .filter((c) => c.decision !== "Allowed")
    .map(
      (c) =>
        `${evaluation.actor} (${evaluation.role.roleName}): ${c.call}: ${c.action} on ${c.resource} -> ${c.decision}${c.detail ? ` ${c.detail}` : ""}`,
    );
}

export function reportLines(evaluations: readonly RoleEvaluation[], lake?: SynthesizedLake): string[] {
  const lines: string[] = [];
  const recorded = new Set(evaluations.map((e) => e.role.arn));
  for (const e of evaluations) {
    const { allowed, denied } = countDecisions(e);
    const unused = unusedAllowedActions(e);
    lines.push(`${e.actor}  role ${e.role.roleName}`);
    if (e.role.managedPolicyArns.length > 0)
      lines.push(`  managed policies not evaluated (not part of the program): ${e.role.managedPolicyArns.join(", ")}`);
    lines.push(
      `  recorded calls ${e.requests}, authorization checks ${e.checks.length} (${e.checks.filter((c) => c.implied).length} implied KMS): allowed ${allowed}, denied ${denied}`,
    );
    const byCall = new Map<string, number>();
    for (const c of e.checks) byCall.set(`${c.action} ${c.decision}`, (byCall.get(`${c.action} ${c.decision}`) ?? 0) + 1);
    for (const [k, n] of [...byCall].sort()) lines.push(`    ${k} x${n}`);
    for (const d of denials(e)) lines.push(`  DENIED ${d}`);
    lines.push(`  allowed but unused by any recorded call (${unused.length}): ${unused.join(", ") || "-"}`);
  }
  // Roles whose caller is an AWS service itself (crawlers, Lake Formation, Scheduler): moto runs
  // none of their work, so no request of theirs can be recorded locally.
  for (const role of lake?.roles ?? [])
    if (!recorded.has(role.arn)) lines.push(`${role.roleName}: no recorded calls (assumed by an AWS service that does its work itself)`);
  return lines;
}

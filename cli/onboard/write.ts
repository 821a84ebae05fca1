/**
 * Proposals as tables.yaml entries. The text edit itself is the model's (model/edit.ts): the
 * entries are inserted after the last item of `tables`, and every existing byte stays as it was.
 * The result is validated by the model before it is written.
 */
import { appendTableEntries, type NewTableEntry } from "../../model/edit";
import type { Proposal } from "./propose";

export function entryComment(p: Proposal): string[] {
  const lines = [`${p.sourceTable.name}: ${p.entry.strategy} (${p.strategy.reason})`];
  // nonPii (every other column) is proposed too: reviewing pii reviews both.
  if (p.entry.pii) lines.push("pii proposed by column name: review");
  return lines;
}

export function proposalEntry(p: Proposal, header?: string): NewTableEntry {
  return {
    fields: { ...p.entry },
    comments: [...(header !== undefined ? [header] : []), ...entryComment(p)],
    fieldComments: p.domain.confirmed ? {} : { domain: `TODO confirm domain (${p.domain.reason})` },
  };
}

export function appendEntries(text: string, proposals: readonly Proposal[], header: string): string {
  return appendTableEntries(
    text,
    proposals.map((p, i) => proposalEntry(p, i === 0 ? header : undefined)),
  );
}

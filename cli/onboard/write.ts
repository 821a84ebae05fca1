/**
 * Appends proposed entries to tables.yaml text with the yaml Document API, so every existing
 * comment, blank line and key order stays as it was. The result is validated by the model.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type YAMLMap } from "yaml";
import type { Proposal } from "./propose";

/** Options that print an unmodified tables.yaml byte for byte (checked by the tests). */
export const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false } as const;

export function entryComment(p: Proposal): string {
  const lines = [` ${p.sourceTable.name}: ${p.entry.strategy} (${p.strategy.reason})`];
  if (p.entry.pii) lines.push(` pii proposed by column name: review`);
  return lines.join("\n");
}

export function appendEntries(text: string, proposals: readonly Proposal[], header: string): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new Error(`cannot edit: ${doc.errors[0].message.split("\n")[0]}`);
  const tables = doc.get("tables", true);
  if (!isSeq(tables)) throw new Error('cannot edit: "tables" is not a list');
  proposals.forEach((p, i) => {
    const node = doc.createNode(p.entry) as YAMLMap;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      if (isSeq(pair.value)) pair.value.flow = true;
      if (pair.key.value === "domain" && isScalar(pair.value) && !p.domain.confirmed) {
        pair.value.comment = ` TODO confirm domain (${p.domain.reason})`;
      }
    }
    node.spaceBefore = true;
    node.commentBefore = (i === 0 ? ` ${header}\n` : "") + entryComment(p);
    tables.items.push(node);
  });
  if (!isMap(doc.contents)) throw new Error("cannot edit: the document is not a mapping");
  return doc.toString(STRINGIFY);
}

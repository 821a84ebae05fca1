/**
 * Appends table entries to tables.yaml text without touching a byte of what is already there.
 *
 * The new entries' text is inserted right after the `tables` block sequence (after its last
 * item), indented like the existing first item, so whatever style the file is written in (dash
 * indentation, padded flow lists, comment spacing) stays as it was. Only an empty or flow-style
 * `tables` list (`tables: []`) is re-printed through the yaml Document API. Pure: no Pulumi, no
 * AWS. The caller validates the result with checkTablesYaml.
 */
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type YAMLSeq } from "yaml";

/** Printing options for entries and for the document-edit fallback. */
export const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false } as const;

export type EntryValue = string | number | boolean | readonly string[];

export interface NewTableEntry {
  /** Fields in the order they are written; undefined ones are left out. Lists are written in flow style: `[a, b]`. */
  readonly fields: Readonly<Record<string, EntryValue | undefined>>;
  /** Comment lines written above the entry (the text after `# `). */
  readonly comments?: readonly string[];
  /** End-of-line comments by field name (the text after `# `). */
  readonly fieldComments?: Readonly<Record<string, string>>;
}

interface Layout {
  /** Column of the item's `-`. */
  readonly dash: number;
  /** Column of the item's keys. */
  readonly content: number;
}

function entryDocument(entry: NewTableEntry): Document {
  const defined = Object.fromEntries(Object.entries(entry.fields).filter(([, v]) => v !== undefined));
  const doc = new Document(defined);
  if (!isMap(doc.contents)) throw new Error("cannot edit: an entry must be a mapping");
  for (const pair of doc.contents.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    if (isSeq(pair.value)) pair.value.flow = true;
    const comment = entry.fieldComments?.[String(pair.key.value)];
    if (comment !== undefined && (isScalar(pair.value) || isSeq(pair.value))) pair.value.comment = ` ${comment}`;
  }
  return doc;
}

function commentLines(entry: NewTableEntry): string[] {
  return (entry.comments ?? []).flatMap((c) => c.split("\n"));
}

/** One entry as block text: comment lines at the dash's column, `-` then the keys at the content column. */
export function renderEntry(entry: NewTableEntry, layout: Layout): string {
  const body = entryDocument(entry).toString(STRINGIFY).replace(/\n$/, "").split("\n");
  const dash = " ".repeat(layout.dash);
  const gap = " ".repeat(Math.max(1, layout.content - layout.dash - 1));
  const indent = " ".repeat(layout.dash + 1 + gap.length);
  return [
    ...commentLines(entry).map((c) => `${dash}# ${c}`.trimEnd()),
    `${dash}-${gap}${body[0]}`,
    ...body.slice(1).map((line) => (line.length > 0 ? indent + line : line)),
  ].join("\n");
}

/** Where the first item's `-` and keys are written, read from the text. */
function layoutOf(text: string, seq: YAMLSeq): Layout {
  const first = seq.items[0] as Node | null;
  const start = first?.range?.[0] ?? seq.range?.[0] ?? 0;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const prefix = /^( *)-( +)$/.exec(text.slice(lineStart, start));
  if (prefix) return { dash: prefix[1].length, content: prefix[0].length };
  const seqStart = seq.range?.[0] ?? 0;
  const dash = seqStart - (text.lastIndexOf("\n", seqStart - 1) + 1);
  return { dash, content: dash + 2 };
}

/** The document-edit fallback for an empty or flow-style `tables` list. */
function appendByDocument(doc: Document, tables: YAMLSeq, entries: readonly NewTableEntry[]): string {
  tables.flow = false;
  for (const entry of entries) {
    const node = entryDocument(entry).contents;
    if (!isMap(node)) continue;
    node.spaceBefore = tables.items.length > 0;
    const comments = commentLines(entry);
    if (comments.length > 0) node.commentBefore = comments.map((c) => ` ${c}`).join("\n");
    tables.items.push(node);
  }
  return doc.toString(STRINGIFY);
}

/**
 * tables.yaml text with `entries` added at the end of `tables`. Every existing byte is kept: the
 * result is the original text with the entries inserted at one place. Throws when the text is
 * not YAML or `tables` is not a list.
 */
export function appendTableEntries(text: string, entries: readonly NewTableEntry[]): string {
  if (entries.length === 0) return text;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`cannot edit: ${doc.errors[0].message.split("\n")[0]}`);
  if (!isMap(doc.contents)) throw new Error("cannot edit: the document is not a mapping");
  const tables = doc.get("tables", true);
  if (!isSeq(tables)) throw new Error('cannot edit: "tables" is not a list');
  const end = tables.range?.[1];
  if (tables.flow || tables.items.length === 0 || end === undefined) return appendByDocument(doc, tables, entries);

  const layout = layoutOf(text, tables);
  const block = entries.map((entry) => renderEntry(entry, layout)).join("\n\n");
  const lineBreak = end > 0 && text[end - 1] !== "\n" ? "\n" : "";
  return `${text.slice(0, end)}${lineBreak}\n${block}\n${text.slice(end)}`;
}

/** Validation problems found in tables.yaml, each pinned to a place in the file. */

export interface ModelIssue {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Lake table name (or "#n" when the entry has no usable name); undefined outside tables. */
  readonly table?: string;
  /** Dotted path of the field inside the table, tier, domain or rule (e.g. "primaryKey[1]"). */
  readonly field: string;
  readonly message: string;
  readonly hint?: string;
}

export function formatIssue(issue: ModelIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const subject = issue.table !== undefined ? `table ${issue.table}, field ${issue.field}` : `field ${issue.field}`;
  return `${where}: ${subject}: ${issue.message}` + (issue.hint ? ` (hint: ${issue.hint})` : "");
}

/** Thrown by loadModel with every issue found, so a user fixes them all in one pass. */
export class TablesYamlError extends Error {
  constructor(readonly issues: readonly ModelIssue[]) {
    super(
      `${issues.length} problem${issues.length === 1 ? "" : "s"} in ${issues[0]?.file ?? "tables.yaml"}:\n` +
        issues.map((i) => "  " + formatIssue(i)).join("\n"),
    );
    this.name = "TablesYamlError";
  }
}

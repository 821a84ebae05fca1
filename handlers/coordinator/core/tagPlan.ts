/**
 * PII tag reconciliation, pure: from a catalog table's columns, the tables.yaml classification and
 * the tags the table and its columns carry themselves (GetResourceLFTags, assigned only), the
 * changes that bring them to the desired state. Desired: the table has no pii tag of its own or
 * pii=true (it inherits pii=true from its database); a nonPii column pii=false; a pii column
 * pii=true; any other column no tag of its own or pii=true (hidden until classified).
 */
import { desiredColumnTag, lakeColumnName, type ColumnClass } from "../../../model";

export interface AssignedPiiTags {
  /** The table's own pii value, if it carries one. */
  readonly table: string | undefined;
  /** Column (lower case) -> its own pii value; columns without one are absent. */
  readonly columns: ReadonlyMap<string, string>;
}

export interface PiiTagPlan {
  /** The table carries pii=<not true> of its own: set it to true. */
  readonly hideTable: boolean;
  /** Columns to tag pii=true (PII, or an unclassified column that carries pii=false). */
  readonly hide: readonly string[];
  /** Columns to tag pii=false (classified nonPii and not yet tagged so). */
  readonly reveal: readonly string[];
  /** Catalog columns tables.yaml does not classify: hidden from roles not cleared, need classification. */
  readonly unclassified: readonly string[];
}

export function planPiiTags(
  catalogColumns: readonly string[],
  classes: ReadonlyMap<string, ColumnClass>,
  assigned: AssignedPiiTags,
): PiiTagPlan {
  const hide: string[] = [];
  const reveal: string[] = [];
  const unclassified: string[] = [];
  for (const column of [...new Set(catalogColumns.map(lakeColumnName))]) {
    const desired = desiredColumnTag(classes, column);
    const own = assigned.columns.get(column);
    if (desired === "false") {
      if (own !== "false") reveal.push(column);
    } else if (desired === "true") {
      if (own !== "true") hide.push(column);
    } else {
      unclassified.push(column);
      // Inheriting pii=true would do; an own value other than true (a stale pii=false) must go.
      if (own !== undefined && own !== "true") hide.push(column);
    }
  }
  return { hideTable: assigned.table !== undefined && assigned.table !== "true", hide, reveal, unclassified };
}

export function planIsEmpty(plan: PiiTagPlan): boolean {
  return !plan.hideTable && plan.hide.length === 0 && plan.reveal.length === 0;
}

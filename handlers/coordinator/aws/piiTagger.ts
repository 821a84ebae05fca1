/**
 * Lake Formation PII tags, reconciled: reads what the catalog table and its columns carry
 * themselves, plans the difference with the desired tags (core/tagPlan.ts) and applies it, hiding
 * before revealing, under the stack's tag key (PII_TAG_KEY: the prefix is honoured). A failed
 * call throws listing every failure; a column whose pii=false was not applied stays hidden.
 */
import type { GlueClient } from "@aws-sdk/client-glue";
import { AddLFTagsToResourceCommand, type LakeFormationClient, type Resource } from "@aws-sdk/client-lakeformation";
import { lakeColumnName, type ColumnClass } from "../../../model";
import { planIsEmpty, planPiiTags } from "../core/tagPlan";
import type { PiiReconcileResult, PiiTagger } from "../ports";
import { catalogColumns, tableTags, tagValue, type TagReadOptions } from "./lfTags";

export class LakeFormationPiiTagger implements PiiTagger {
  constructor(
    private readonly lakeformation: LakeFormationClient,
    private readonly glue: GlueClient,
    private readonly tagKey: string,
    private readonly options: TagReadOptions,
  ) {}

  async reconcile(database: string, table: string, classes: ReadonlyMap<string, ColumnClass>): Promise<PiiReconcileResult> {
    const columns = await catalogColumns(this.glue, database, table);
    // Not catalogued yet (raw table before its crawl): it inherits pii=true, nothing to reveal.
    if (columns === undefined) return { exists: false };
    const assigned = await tableTags(this.lakeformation, database, table, columns, this.options);
    const ownPii = new Map<string, string>();
    for (const [column, tags] of assigned.columns) {
      const value = tagValue(tags, this.tagKey);
      if (value !== undefined) ownPii.set(lakeColumnName(column), value);
    }
    const plan = planPiiTags(columns, classes, { table: tagValue(assigned.table, this.tagKey), columns: ownPii });
    if (planIsEmpty(plan)) return { exists: true, hidden: [], revealed: [], unclassified: plan.unclassified };
    const failures: string[] = [];
    const apply = async (resource: Resource, value: "true" | "false", what: string): Promise<boolean> => {
      try {
        const res = await this.lakeformation.send(
          new AddLFTagsToResourceCommand({ Resource: resource, LFTags: [{ TagKey: this.tagKey, TagValues: [value] }] }),
        );
        // AddLFTagsToResource reports per-tag failures in the response instead of throwing.
        const failed = res.Failures ?? [];
        for (const f of failed)
          failures.push(`${what} ${this.tagKey}=${value}: ${f.Error?.ErrorCode ?? "?"} ${f.Error?.ErrorMessage ?? ""}`.trim());
        return failed.length === 0;
      } catch (error) {
        failures.push(`${what} ${this.tagKey}=${value}: ${(error as Error).name}: ${(error as Error).message}`);
        return false;
      }
    };
    const hidden: string[] = [];
    const revealed: string[] = [];
    // Hide first: if a later call fails, nothing was revealed that should not be.
    if (plan.hideTable) await apply({ Table: { DatabaseName: database, Name: table } }, "true", "table");
    const onColumns = (names: readonly string[]): Resource => ({
      TableWithColumns: { DatabaseName: database, Name: table, ColumnNames: [...names] },
    });
    if (plan.hide.length > 0 && (await apply(onColumns(plan.hide), "true", `columns ${plan.hide.join(", ")}`))) hidden.push(...plan.hide);
    if (plan.reveal.length > 0 && (await apply(onColumns(plan.reveal), "false", `columns ${plan.reveal.join(", ")}`)))
      revealed.push(...plan.reveal);
    if (failures.length > 0) throw new Error(`LF-tags of ${database}.${table} not reconciled: ${failures.join("; ")}`);
    return { exists: true, hidden, revealed, unclassified: plan.unclassified };
  }
}

/** Lake Formation column tags: pii=true on a table's PII columns. */
import { AddLFTagsToResourceCommand, type LakeFormationClient } from "@aws-sdk/client-lakeformation";
import type { PiiTagger } from "../ports";

export const PII_TAG_KEY = "pii";
export const PII_TAG_VALUE = "true";

export class LakeFormationPiiTagger implements PiiTagger {
  constructor(private readonly client: LakeFormationClient) {}

  async tagColumns(database: string, table: string, columns: readonly string[]): Promise<void> {
    if (columns.length === 0) return;
    const res = await this.client.send(
      new AddLFTagsToResourceCommand({
        Resource: { TableWithColumns: { DatabaseName: database, Name: table, ColumnNames: [...columns] } },
        LFTags: [{ TagKey: PII_TAG_KEY, TagValues: [PII_TAG_VALUE] }],
      }),
    );
    // AddLFTagsToResource reports per-tag failures in the response instead of throwing.
    const failures = res.Failures ?? [];
    if (failures.length > 0) {
      const text = failures.map((f) => `${f.LFTag?.TagKey ?? "?"}: ${f.Error?.ErrorCode ?? "?"} ${f.Error?.ErrorMessage ?? ""}`.trim());
      throw new Error(`AddLFTagsToResource ${database}.${table}: ${text.join("; ")}`);
    }
  }
}

/**
 * A raw table's Glue description, parameters and column comments, reconciled: GetTable, plan the
 * difference (core/catalogDescription.ts), and UpdateTable with the table as it is plus the
 * changes, only when something differs. The update names the version it read (VersionId), so a
 * crawler that changed the table meanwhile makes it fail (ConcurrentModificationException) instead
 * of being overwritten; the next run tries again. SkipArchive: a description is not a schema
 * version worth keeping.
 */
import { GetTableCommand, UpdateTableCommand, type Column, type GlueClient, type Table, type TableInput } from "@aws-sdk/client-glue";
import { descriptionIsCurrent, planDescription, type CatalogTableView, type TableDescription } from "../core/catalogDescription";
import type { CatalogDescriber, DescribeResult } from "../ports";

function view(table: Table): CatalogTableView {
  const columns = new Map<string, string | undefined>();
  for (const c of table.StorageDescriptor?.Columns ?? []) if (c.Name !== undefined) columns.set(c.Name, c.Comment);
  return { description: table.Description, parameters: table.Parameters ?? {}, columns };
}

/** The table as UpdateTable takes it back: every field TableInput has, copied. */
function tableInput(table: Table): TableInput {
  return {
    Name: table.Name,
    Description: table.Description,
    Owner: table.Owner,
    LastAccessTime: table.LastAccessTime,
    LastAnalyzedTime: table.LastAnalyzedTime,
    Retention: table.Retention,
    StorageDescriptor: table.StorageDescriptor,
    PartitionKeys: table.PartitionKeys,
    ViewOriginalText: table.ViewOriginalText,
    ViewExpandedText: table.ViewExpandedText,
    TableType: table.TableType,
    Parameters: table.Parameters,
    TargetTable: table.TargetTable,
  };
}

export class GlueCatalogDescriber implements CatalogDescriber {
  constructor(private readonly glue: GlueClient) {}

  async describe(database: string, table: string, desired: TableDescription): Promise<DescribeResult> {
    let current: Table | undefined;
    try {
      current = (await this.glue.send(new GetTableCommand({ DatabaseName: database, Name: table }))).Table;
    } catch (error) {
      if ((error as { name?: string }).name === "EntityNotFoundException") return { exists: false };
      throw error;
    }
    if (current === undefined) return { exists: false };
    const change = planDescription(view(current), desired);
    if (descriptionIsCurrent(change)) return { exists: true, change };
    const input = tableInput(current);
    const parameters = { ...(current.Parameters ?? {}) };
    for (const key of change.parameters) parameters[key] = desired.parameters[key] as string;
    const changedColumns = new Set(change.columns);
    const comment = (c: Column): Column =>
      changedColumns.has(c.Name ?? "") ? { ...c, Comment: desired.columnComments?.get((c.Name ?? "").toLowerCase()) ?? "" } : c;
    const storage = current.StorageDescriptor;
    await this.glue.send(
      new UpdateTableCommand({
        DatabaseName: database,
        SkipArchive: true,
        ...(current.VersionId !== undefined ? { VersionId: current.VersionId } : {}),
        TableInput: {
          ...input,
          Description: desired.description,
          Parameters: parameters,
          ...(storage !== undefined ? { StorageDescriptor: { ...storage, Columns: (storage.Columns ?? []).map(comment) } } : {}),
        },
      }),
    );
    return { exists: true, change };
  }
}

/**
 * Reads the LF-tags a catalog table and its columns carry themselves (GetResourceLFTags with
 * ShowAssignedLFTags), and its columns (Glue GetTable). Shared by the coordinator's reconciler
 * and `lake access`.
 *
 * moto 5.2.5 answers GetResourceLFTags on a database or table that never had a tag assigned with
 * HTTP 500 (a KeyError in its backend; AWS answers with empty lists). Against a local endpoint
 * (`tolerateMotoUntagged`), that one answer is read as "no tags"; against AWS a 500 is an error.
 */
import { GetTableCommand, type GlueClient } from "@aws-sdk/client-glue";
import {
  GetResourceLFTagsCommand,
  type GetResourceLFTagsCommandOutput,
  type LakeFormationClient,
  type LFTagPair,
  type Resource,
} from "@aws-sdk/client-lakeformation";

export interface TagReadOptions {
  /** The client talks to moto (AWS_ENDPOINT_URL / --endpoint): read its HTTP 500 for an untagged resource as no tags. */
  readonly tolerateMotoUntagged: boolean;
}

export interface AssignedTags {
  readonly database: readonly LFTagPair[];
  readonly table: readonly LFTagPair[];
  /** Column name -> its own tags (columns without any are absent). */
  readonly columns: ReadonlyMap<string, readonly LFTagPair[]>;
}

function serverError(error: unknown): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 500;
}

type TagsAnswer = Partial<Pick<GetResourceLFTagsCommandOutput, "LFTagOnDatabase" | "LFTagsOnTable" | "LFTagsOnColumns">>;

async function getTags(client: LakeFormationClient, resource: Resource, options: TagReadOptions): Promise<TagsAnswer> {
  try {
    return await client.send(new GetResourceLFTagsCommand({ Resource: resource, ShowAssignedLFTags: true }));
  } catch (error) {
    if (options.tolerateMotoUntagged && serverError(error) && resource.TableWithColumns === undefined) return {};
    throw error;
  }
}

export async function databaseTags(client: LakeFormationClient, database: string, options: TagReadOptions): Promise<LFTagPair[]> {
  return (await getTags(client, { Database: { Name: database } }, options)).LFTagOnDatabase ?? [];
}

/** The table's and its columns' own tags (two calls: moto answers a Table resource without its columns). */
export async function tableTags(
  client: LakeFormationClient,
  database: string,
  table: string,
  columns: readonly string[],
  options: TagReadOptions,
): Promise<Omit<AssignedTags, "database">> {
  const onTable = await getTags(client, { Table: { DatabaseName: database, Name: table } }, options);
  const byColumn = new Map<string, LFTagPair[]>();
  for (const c of onTable.LFTagsOnColumns ?? []) if (c.Name && c.LFTags?.length) byColumn.set(c.Name, c.LFTags);
  if (columns.length > 0) {
    const onColumns = await getTags(
      client,
      { TableWithColumns: { DatabaseName: database, Name: table, ColumnNames: [...columns] } },
      options,
    );
    for (const c of onColumns.LFTagsOnColumns ?? []) if (c.Name && c.LFTags?.length) byColumn.set(c.Name, c.LFTags);
  }
  return { table: onTable.LFTagsOnTable ?? [], columns: byColumn };
}

/** The value of `key` among tags, if present. */
export function tagValue(tags: readonly LFTagPair[], key: string): string | undefined {
  return tags.find((t) => t.TagKey === key)?.TagValues?.[0];
}

/** A Glue table's column names (data columns, then partition keys); undefined when the table does not exist. */
export async function catalogColumns(glue: GlueClient, database: string, table: string): Promise<string[] | undefined> {
  try {
    const res = await glue.send(new GetTableCommand({ DatabaseName: database, Name: table }));
    const t = res.Table;
    return [...(t?.StorageDescriptor?.Columns ?? []), ...(t?.PartitionKeys ?? [])].map((c) => c.Name ?? "").filter((n) => n !== "");
  } catch (error) {
    if ((error as { name?: string }).name === "EntityNotFoundException") return undefined;
    throw error;
  }
}

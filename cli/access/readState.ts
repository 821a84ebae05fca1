/**
 * Reads the Lake Formation state `lake access` judges: the lake's databases (tables.yaml's domains
 * x zones) with their tables and columns (Glue GetTables), the LF-tags each carries itself
 * (GetResourceLFTags with ShowAssignedLFTags: inheritance is applied by cli/access/lfTbac.ts),
 * every grant (ListPermissions) and the tags defined (ListLFTags).
 */
import { GetTablesCommand, type GlueClient } from "@aws-sdk/client-glue";
import {
  ListLFTagsCommand,
  ListPermissionsCommand,
  type LakeFormationClient,
  type LFTagPair,
  type PrincipalResourcePermissions,
  type Resource,
} from "@aws-sdk/client-lakeformation";
import { catalogDatabaseName, type LakeModel } from "../../model";
import { databaseTags, tableTags, type TagReadOptions } from "../../handlers/coordinator/aws/lfTags";
import type { AuditedDatabase, LfState } from "./audit";
import type { Grant, GrantResource, Tag } from "./lfTbac";

export interface StateClients {
  readonly glue: GlueClient;
  readonly lakeformation: LakeFormationClient;
}

const toTags = (pairs: readonly LFTagPair[]): Tag[] =>
  pairs.flatMap((p) => (p.TagKey !== undefined && p.TagValues?.[0] !== undefined ? [{ key: p.TagKey, value: p.TagValues[0] }] : []));

function toResource(r: Resource | undefined): GrantResource {
  if (r?.LFTagPolicy) {
    const type = r.LFTagPolicy.ResourceType;
    if (type === "DATABASE" || type === "TABLE")
      return {
        kind: "tagPolicy",
        resourceType: type,
        expression: (r.LFTagPolicy.Expression ?? []).map((c) => ({ key: c.TagKey ?? "", values: c.TagValues ?? [] })),
      };
  }
  if (r?.Database?.Name) return { kind: "database", database: r.Database.Name };
  if (r?.Table?.DatabaseName)
    return { kind: "table", database: r.Table.DatabaseName, table: r.Table.TableWildcard ? "*" : (r.Table.Name ?? "") };
  if (r?.TableWithColumns?.DatabaseName)
    return {
      kind: "columns",
      database: r.TableWithColumns.DatabaseName,
      table: r.TableWithColumns.Name ?? "",
      columns: r.TableWithColumns.ColumnWildcard ? "*" : (r.TableWithColumns.ColumnNames ?? []),
    };
  return { kind: "other", description: JSON.stringify(r ?? {}) };
}

export function toGrant(p: PrincipalResourcePermissions): Grant {
  return {
    principal: p.Principal?.DataLakePrincipalIdentifier ?? "?",
    permissions: p.Permissions ?? [],
    withGrantOption: p.PermissionsWithGrantOption ?? [],
    resource: toResource(p.Resource),
  };
}

export async function readGrants(client: LakeFormationClient): Promise<Grant[]> {
  const grants: Grant[] = [];
  let token: string | undefined;
  do {
    const res = await client.send(new ListPermissionsCommand({ ...(token ? { NextToken: token } : {}) }));
    grants.push(...(res.PrincipalResourcePermissions ?? []).map(toGrant));
    token = res.NextToken;
  } while (token);
  return grants;
}

export async function definedTagKeys(client: LakeFormationClient): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await client.send(new ListLFTagsCommand({ ...(token ? { NextToken: token } : {}) }));
    keys.push(...(res.LFTags ?? []).map((t) => t.TagKey ?? ""));
    token = res.NextToken;
  } while (token);
  return keys;
}

async function readDatabase(
  clients: StateClients,
  name: string,
  options: TagReadOptions,
): Promise<Omit<AuditedDatabase, "domain" | "zone">> {
  const tables: AuditedDatabase["tables"][number][] = [];
  let token: string | undefined;
  do {
    const res = await clients.glue.send(new GetTablesCommand({ DatabaseName: name, ...(token ? { NextToken: token } : {}) }));
    for (const t of res.TableList ?? []) {
      const columns = [...(t.StorageDescriptor?.Columns ?? []), ...(t.PartitionKeys ?? [])].map((c) => c.Name ?? "").filter((c) => c);
      const own = await tableTags(clients.lakeformation, name, t.Name ?? "", columns, options);
      tables.push({
        name: t.Name ?? "",
        tags: toTags(own.table),
        columns: columns.map((c) => ({ name: c, tags: toTags(own.columns.get(c) ?? []) })),
      });
    }
    token = res.NextToken;
  } while (token);
  return { name, tags: toTags(await databaseTags(clients.lakeformation, name, options)), tables };
}

/** The lake's databases: every domain's full-copy and raw database. A missing one is an error. */
export async function readLfState(
  clients: StateClients,
  model: LakeModel,
  databasePrefix: string,
  options: TagReadOptions,
): Promise<LfState> {
  const databases: AuditedDatabase[] = [];
  for (const domain of model.domains)
    for (const zone of ["full", "raw"] as const) {
      const db = await readDatabase(clients, catalogDatabaseName(databasePrefix, domain.name, zone), options);
      databases.push({ ...db, domain: domain.name, zone });
    }
  return { databases, grants: await readGrants(clients.lakeformation) };
}

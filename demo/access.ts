/**
 * The demo's access audit: the lake's Lake Formation state in moto (databases tagged, the
 * program's grants replayed, the full copies registered in the Glue catalog) judged by
 * `auditLakeAccess` (cli/access) after every job and after every finalize.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { CreateTableCommand, GetTableCommand, UpdateTableCommand, type Column, type GlueClient } from "@aws-sdk/client-glue";
import { CreateLFTagCommand, type LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { auditLakeAccess } from "../cli/access";
import { catalogDatabaseName, type LakeModel } from "../model";
import { replayTagPolicyGrants, stackConfig, synthesizedGrants, tagDatabase } from "./lakeFormationReplay";
import { REPO } from "./settings";

/** One audit: when it ran and how many PII (or unclassified) columns roles not cleared for PII could see. */
export interface AccessPoint {
  readonly point: "after the job" | "after finalize";
  readonly piiVisibleToUncleared: number;
  readonly violations: number;
  readonly tables: number;
  readonly columns: number;
}

interface IcebergMetadata {
  readonly "current-schema-id": number;
  readonly properties?: Readonly<Record<string, string>>;
  readonly schemas: readonly {
    readonly "schema-id": number;
    readonly fields: readonly { readonly name: string; readonly type: unknown; readonly doc?: string }[];
  }[];
}

/** The current metadata of a table in a local Hadoop-catalog warehouse (undefined: no table yet). */
function icebergMetadata(warehouseDir: string, database: string, table: string): { file: string; doc: IcebergMetadata } | undefined {
  const metadata = path.join(warehouseDir, database, table, "metadata");
  const hint = path.join(metadata, "version-hint.text");
  if (!existsSync(hint)) return undefined;
  const version = readFileSync(hint, "utf8").trim();
  const file = path.join(metadata, `v${version}.metadata.json`);
  return { file, doc: JSON.parse(readFileSync(file, "utf8")) as IcebergMetadata };
}

/** The current schema's columns (with their docs as comments, as Iceberg's GlueCatalog does); undefined: no table yet. */
export function icebergColumns(warehouseDir: string, database: string, table: string): Column[] | undefined {
  const found = icebergMetadata(warehouseDir, database, table);
  if (!found) return undefined;
  const { file, doc } = found;
  const schema = doc.schemas.find((s) => s["schema-id"] === doc["current-schema-id"]);
  if (!schema) throw new Error(`${file}: no schema ${doc["current-schema-id"]}`);
  return schema.fields.map((f) => ({
    Name: f.name.toLowerCase(),
    Type: typeof f.type === "string" ? f.type : "struct",
    ...(f.doc !== undefined ? { Comment: f.doc } : {}),
  }));
}

/**
 * Registers (or updates) every full copy a local Hadoop-catalog warehouse holds in a Glue catalog
 * (moto's) with its current columns. A stand-in for Iceberg's GlueCatalog, which does this itself
 * in AWS with the job's role: local Spark uses a Hadoop catalog, so moto would otherwise hold no
 * table to tag or audit.
 */
export async function registerFullCopies(glue: GlueClient, model: LakeModel, databasePrefix: string, warehouseDir: string): Promise<void> {
  for (const t of model.tables.filter((x) => x.enabled)) {
    const database = catalogDatabaseName(databasePrefix, t.domain, "full");
    const columns = icebergColumns(warehouseDir, database, t.name);
    if (!columns) continue;
    // Iceberg's GlueCatalog (1.10) makes the table property `comment` the Glue Description.
    const comment = icebergMetadata(warehouseDir, database, t.name)?.doc.properties?.["comment"];
    const input = {
      Name: t.name,
      TableType: "EXTERNAL_TABLE",
      ...(comment !== undefined ? { Description: comment } : {}),
      Parameters: { table_type: "ICEBERG" },
      StorageDescriptor: { Columns: columns },
    };
    let exists = true;
    try {
      await glue.send(new GetTableCommand({ DatabaseName: database, Name: t.name }));
    } catch {
      exists = false;
    }
    await glue.send(
      exists
        ? new UpdateTableCommand({ DatabaseName: database, TableInput: input })
        : new CreateTableCommand({ DatabaseName: database, TableInput: input }),
    );
  }
}

export class DemoAccessAudit {
  private constructor(
    private readonly glue: GlueClient,
    private readonly lf: LakeFormationClient,
    private readonly databasePrefix: string,
    private readonly rolePrincipals: Readonly<Record<string, string>>,
  ) {}

  /**
   * Tags the lake's databases (domain, pii=true) and replays the grants the program synthesizes
   * for stack dev (its role principals) into moto. The `pii` LF-tag exists already (aws.ts).
   */
  static async create(glue: GlueClient, lf: LakeFormationClient, model: LakeModel, databasePrefix: string): Promise<DemoAccessAudit> {
    const config = stackConfig(REPO, "dev");
    const principals = config["lake:rolePrincipals"] as Record<string, string> | undefined;
    if (!principals) throw new Error(`${path.join(REPO, "Pulumi.dev.yaml")}: lake:rolePrincipals is missing`);
    await lf.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: model.domains.map((d) => d.name) }));
    for (const domain of model.domains)
      for (const zone of ["full", "raw"] as const)
        await tagDatabase(lf, catalogDatabaseName(databasePrefix, domain.name, zone), domain.name);
    const grants = await synthesizedGrants(config);
    if ((await replayTagPolicyGrants(lf, grants)) === 0) throw new Error("the program synthesized no LF-tag grant to replay");
    return new DemoAccessAudit(glue, lf, databasePrefix, principals);
  }

  /**
   * Registers (or updates) every full copy the local warehouse holds in moto's Glue catalog with
   * its current columns. A stand-in for Iceberg's GlueCatalog, which does this itself in AWS: the
   * demo's Spark uses a Hadoop catalog, so moto would otherwise hold no table to tag or audit.
   */
  async registerFullCopies(model: LakeModel, warehouseDir: string): Promise<void> {
    await registerFullCopies(this.glue, model, this.databasePrefix, warehouseDir);
  }

  async audit(model: LakeModel, point: AccessPoint["point"]): Promise<AccessPoint> {
    const report = await auditLakeAccess(
      { glue: this.glue, lakeformation: this.lf },
      { model, databasePrefix: this.databasePrefix, rolePrincipals: this.rolePrincipals, localEndpoint: true },
    );
    return {
      point,
      piiVisibleToUncleared: report.piiVisibleToUncleared,
      violations: report.violations.length,
      tables: report.tables,
      columns: report.columns,
    };
  }
}

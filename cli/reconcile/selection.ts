/** Which tables `lake verify` / `lake reconcile` work on: named tables, one domain, or every enabled table. */
import type { LakeModel } from "../../model";
import { UsageError, type ParsedArgs } from "../args";

export type Selection =
  | { readonly kind: "tables"; readonly tables: readonly string[] }
  | { readonly kind: "domain"; readonly domain: string }
  | { readonly kind: "all" };

/** Exactly one of: table names (positional), --domain <d>, --all. */
export function selectionOf(args: ParsedArgs): Selection {
  const domain = args.values["domain"];
  const all = args.values["all"] === true;
  const tables = [...new Set(args.positionals)];
  const given = [tables.length > 0, typeof domain === "string", all].filter(Boolean).length;
  if (given !== 1) throw new UsageError("name the tables, or give --domain <name>, or --all (exactly one of them)");
  if (typeof domain === "string") return { kind: "domain", domain };
  if (all) return { kind: "all" };
  return { kind: "tables", tables };
}

/** The enabled tables the selection means in this model; unknown or disabled names are usage errors. */
export function selectedTables(model: LakeModel, selection: Selection): string[] {
  switch (selection.kind) {
    case "all":
      return model.tables.filter((t) => t.enabled).map((t) => t.name);
    case "domain": {
      if (!model.domains.some((d) => d.name === selection.domain)) {
        throw new UsageError(
          `--domain ${selection.domain}: not a domain of ${model.file} (${model.domains.map((d) => d.name).join(", ")})`,
        );
      }
      const tables = model.tables.filter((t) => t.enabled && t.domain === selection.domain).map((t) => t.name);
      if (tables.length === 0) throw new UsageError(`--domain ${selection.domain}: no enabled table in ${model.file}`);
      return tables;
    }
    case "tables": {
      const byName = new Map(model.tables.map((t) => [t.name, t]));
      const unknown = selection.tables.filter((n) => !byName.has(n));
      if (unknown.length > 0) throw new UsageError(`not tables of ${model.file}: ${unknown.join(", ")}`);
      const disabled = selection.tables.filter((n) => byName.get(n)?.enabled === false);
      if (disabled.length > 0) throw new UsageError(`disabled in ${model.file} (enabled: false): ${disabled.join(", ")}`);
      return [...selection.tables];
    }
  }
}

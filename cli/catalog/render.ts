/**
 * The data dictionary as files: index.html (domains, tiers, a search box over every table and
 * column), one <domain>.html per domain (tables with description, owner, tier and freshness,
 * strategy, source, keys, PII, columns and an Athena example query) and catalog.md. Pure: the
 * model, and the source's live columns when given. Every text is HTML-escaped.
 */
import { catalogDatabaseName, type LakeModel, type TableSpec, type TierSpec } from "../../model";
import type { SourceSchema, SourceTable } from "../introspect/types";

export interface CatalogInput {
  readonly model: LakeModel;
  /** Prefix of the Glue databases (`<lake>_<stack>`). */
  readonly databasePrefix: string;
  readonly businessTimeZone: string;
  readonly schema?: SourceSchema;
  readonly generatedAt: Date;
}

const esc = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0;width:100%}th,td{border:1px solid #d8dbe0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}.pii{color:#a4000f;font-weight:600}.meta{color:#4a5160}code,pre{background:#f5f6f8;padding:.1rem .3rem}
pre{padding:.6rem;overflow-x:auto}#search{font-size:1rem;padding:.4rem;width:28rem;max-width:100%}#results li{margin:.2rem 0}nav a{margin-right:1rem}`;

function page(title: string, body: string, script = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}${script ? `\n<script>${script}</script>` : ""}
</body></html>
`;
}

function tierText(tier: TierSpec | undefined, zone: string): string {
  if (!tier) return "";
  const where = tier.timezone ?? zone;
  return `${tier.name}: ${tier.description ?? tier.schedule} (${tier.schedule}, ${where})`;
}

function freshnessText(table: TableSpec, model: LakeModel): string {
  const catchAll = model.tiers.find((t) => t.syncsAllTables);
  return table.tier === catchAll?.name
    ? "loaded once a day by the nightly run"
    : `loaded by tier ${table.tier} and again by the nightly ${catchAll?.name ?? ""} run`;
}

interface ColumnRow {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
  readonly pii: boolean;
  readonly key: boolean;
}

function columnsOf(table: TableSpec, source: SourceTable | undefined): ColumnRow[] {
  if (!source) return [];
  return source.columns.map((c) => ({
    name: c.name,
    type: c.dataType,
    comment: c.comment ?? "",
    pii: table.pii.includes(c.name),
    key: table.primaryKey.includes(c.name),
  }));
}

function exampleQuery(input: CatalogInput, table: TableSpec, columns: readonly ColumnRow[]): string {
  const db = catalogDatabaseName(input.databasePrefix, table.domain, "full");
  const visible = columns.filter((c) => !c.pii).map((c) => `"${c.name.toLowerCase()}"`);
  const list = visible.length > 0 && visible.length < columns.length ? visible.slice(0, 8).join(", ") : "*";
  return `SELECT ${list}\nFROM "${db}"."${table.name}"\nLIMIT 10;`;
}

interface TableView {
  readonly spec: TableSpec;
  readonly columns: ColumnRow[];
  readonly source: SourceTable | undefined;
}

function views(input: CatalogInput, domain: string): TableView[] {
  return input.model.tables
    .filter((t) => t.domain === domain)
    .map((spec) => {
      const source = input.schema?.tables.find((s) => s.name === spec.source);
      return { spec, source, columns: columnsOf(spec, source) };
    });
}

function tableHtml(input: CatalogInput, v: TableView): string {
  const t = v.spec;
  const tier = input.model.tiers.find((x) => x.name === t.tier);
  const facts: [string, string][] = [
    ["Owner", t.owner],
    ["Tier", tierText(tier, input.businessTimeZone)],
    ["Freshness", freshnessText(t, input.model)],
    ["Strategy", t.strategy + (t.strategy === "incremental" ? ` on ${t.cursor}` : t.strategy === "append" ? ` on ${t.key}` : "")],
    ["Source table", t.source],
    ["Primary key", t.primaryKey.join(", ") || "(none)"],
    ["PII columns", t.pii.join(", ") || "(none)"],
    ["Status", t.enabled ? "enabled" : "disabled (not loaded)"],
  ];
  const columns =
    v.columns.length > 0
      ? `<table class="columns"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>PII</th></tr></thead><tbody>${v.columns
          .map(
            (c) =>
              `<tr><td><code>${esc(c.name)}</code>${c.key ? " (key)" : ""}</td><td>${esc(c.type)}</td><td>${esc(c.comment)}</td><td>${c.pii ? '<span class="pii">PII</span>' : ""}</td></tr>`,
          )
          .join("")}</tbody></table>`
      : `<p class="meta">Columns: ${input.schema ? "not found at the source" : "run lake catalog with --source to list them"}.</p>`;
  return `<section class="table" id="${esc(t.name)}"><h2>${esc(t.name)}</h2><p>${esc(t.description)}</p>
<table class="facts"><tbody>${facts.map(([k, val]) => `<tr><th>${esc(k)}</th><td>${esc(val)}</td></tr>`).join("")}</tbody></table>
${columns}<p class="meta">Example query (Athena):</p><pre>${esc(exampleQuery(input, t, v.columns))}</pre></section>`;
}

function domainPage(input: CatalogInput, domain: LakeModel["domains"][number]): string {
  const tables = views(input, domain.name);
  const nav = `<nav><a href="index.html">All domains</a></nav>`;
  const header = `<h1>Domain ${esc(domain.name)}</h1><p>${esc(domain.description)}</p><p class="meta">Owner: ${esc(domain.owner)} · Glue databases: <code>${esc(catalogDatabaseName(input.databasePrefix, domain.name, "full"))}</code> (full copy, Iceberg) and <code>${esc(catalogDatabaseName(input.databasePrefix, domain.name, "raw"))}</code> (raw batches)</p>`;
  const toc = `<ul>${tables.map((v) => `<li><a href="#${esc(v.spec.name)}">${esc(v.spec.name)}</a>: ${esc(v.spec.description)}</li>`).join("")}</ul>`;
  return page(`${domain.name}: lake data dictionary`, nav + header + toc + tables.map((v) => tableHtml(input, v)).join("\n"));
}

/** What the search box searches: one entry per table and per column. */
function searchIndex(input: CatalogInput): { text: string; label: string; href: string }[] {
  return input.model.domains.flatMap((d) =>
    views(input, d.name).flatMap((v) => [
      {
        text: `${v.spec.name} ${v.spec.description}`.toLowerCase(),
        label: `${v.spec.name} (${d.name}): ${v.spec.description}`,
        href: `${d.name}.html#${v.spec.name}`,
      },
      ...v.columns.map((c) => ({
        text: `${c.name} ${c.comment}`.toLowerCase(),
        label: `${v.spec.name}.${c.name}${c.comment ? `: ${c.comment}` : ""}${c.pii ? " (PII)" : ""}`,
        href: `${d.name}.html#${v.spec.name}`,
      })),
    ]),
  );
}

// Filters the embedded index as the user types; a #q=<text> in the address pre-fills the box.
const SEARCH_SCRIPT = `const index = JSON.parse(document.getElementById("search-index").textContent);
const box = document.getElementById("search"), list = document.getElementById("results");
function show(q) {
  list.replaceChildren();
  const words = q.toLowerCase().split(/\\s+/).filter(Boolean);
  if (words.length === 0) return;
  for (const e of index.filter((e) => words.every((w) => e.text.includes(w))).slice(0, 50)) {
    const li = document.createElement("li"), a = document.createElement("a");
    a.href = e.href; a.textContent = e.label; li.append(a); list.append(li);
  }
  document.getElementById("count").textContent = list.children.length + " match(es)";
}
box.addEventListener("input", () => show(box.value));
const initial = new URLSearchParams(location.hash.slice(1)).get("q");
if (initial) { box.value = initial; show(initial); }`;

function indexPage(input: CatalogInput): string {
  const { model } = input;
  const domains = `<table class="domains"><thead><tr><th>Domain</th><th>Description</th><th>Owner</th><th>Tables</th></tr></thead><tbody>${model.domains
    .map(
      (d) =>
        `<tr><td><a href="${esc(d.name)}.html">${esc(d.name)}</a></td><td>${esc(d.description)}</td><td>${esc(d.owner)}</td><td>${model.tables.filter((t) => t.domain === d.name).length}</td></tr>`,
    )
    .join("")}</tbody></table>`;
  const tiers = `<ul>${model.tiers.map((t) => `<li>${esc(tierText(t, input.businessTimeZone))}</li>`).join("")}</ul>`;
  const json = JSON.stringify(searchIndex(input)).replace(/</g, "\\u003c");
  const body = `<h1>Lake data dictionary</h1>
<p class="meta">${model.tables.length} tables in ${model.domains.length} domains, from ${esc(model.file)}${input.schema ? ` and the source ${esc(input.schema.url)}` : ""}; generated ${esc(input.generatedAt.toISOString())}. Columns marked PII are visible only to roles cleared for them.</p>
<p><label for="search">Search tables and columns: </label><input id="search" type="search" placeholder="e.g. customer email" autocomplete="off"> <span id="count" class="meta"></span></p>
<ul id="results"></ul>
<h2>Domains</h2>${domains}<h2>When tables are loaded</h2>${tiers}
<script type="application/json" id="search-index">${json}</script>`;
  return page("Lake data dictionary", body, SEARCH_SCRIPT);
}

function markdown(input: CatalogInput): string {
  const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [`# Lake data dictionary`, "", `${input.model.tables.length} tables in ${input.model.domains.length} domains.`, ""];
  for (const d of input.model.domains) {
    lines.push(`## ${d.name}`, "", d.description, "", `Owner: ${d.owner}`, "");
    for (const v of views(input, d.name)) {
      const t = v.spec;
      lines.push(`### ${t.name}`, "", t.description, "");
      lines.push(
        `- owner: ${t.owner}`,
        `- tier: ${tierText(
          input.model.tiers.find((x) => x.name === t.tier),
          input.businessTimeZone,
        )}`,
      );
      lines.push(
        `- strategy: ${t.strategy}; source: \`${t.source}\`; primary key: ${t.primaryKey.join(", ") || "(none)"}; PII: ${t.pii.join(", ") || "(none)"}`,
        "",
      );
      if (v.columns.length > 0) {
        lines.push("| column | type | description | PII |", "|---|---|---|---|");
        for (const c of v.columns) lines.push(`| \`${cell(c.name)}\` | ${cell(c.type)} | ${cell(c.comment)} | ${c.pii ? "PII" : ""} |`);
        lines.push("");
      }
      lines.push("```sql", exampleQuery(input, t, v.columns), "```", "");
    }
  }
  return lines.join("\n");
}

/** File name -> content. */
export function renderCatalog(input: CatalogInput): Map<string, string> {
  const files = new Map<string, string>([["index.html", indexPage(input)]]);
  for (const d of input.model.domains) files.set(`${d.name}.html`, domainPage(input, d));
  files.set("catalog.md", markdown(input));
  return files;
}

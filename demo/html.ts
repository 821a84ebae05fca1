/** The HTML report: run timeline per tier, rows per table and run, crawler decisions, verification, comparison. */
import type { RunReport } from "./pipeline";
import { FIGURE_LABELS, figures, reconcileText, totals, type Figures, type ModeSummary } from "./report";

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function timeline(runs: readonly RunReport[]): string {
  if (runs.length === 0) return "<p>no runs</p>";
  const t0 = Math.min(...runs.map((r) => r.startedAt));
  const t1 = Math.max(...runs.map((r) => r.endedAt));
  const span = Math.max(1, t1 - t0);
  const tiers = [...new Set(runs.map((r) => r.tier))];
  const W = 900;
  const rowH = 34;
  const bars = runs.map((r) => {
    const y = tiers.indexOf(r.tier) * rowH + 24;
    const x = 140 + ((r.startedAt - t0) / span) * W;
    const w = Math.max(3, ((r.endedAt - r.startedAt) / span) * W);
    const color = r.jobState === "SUCCEEDED" ? "#4caf50" : r.jobState === "FAILED" ? "#e53935" : "#9e9e9e";
    return `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="20" fill="${color}" opacity="0.8"><title>${esc(r.label)}: ${r.jobState}, ${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s</title></rect><text x="${(x + 3).toFixed(1)}" y="${y + 14}" font-size="10">${esc(r.label.split(" ").slice(0, 2).join(" "))}</text>`;
  });
  const labels = tiers.map((t, i) => `<text x="4" y="${i * rowH + 38}" font-size="12">${esc(t)}</text>`);
  return `<svg width="${W + 160}" height="${tiers.length * rowH + 40}" xmlns="http://www.w3.org/2000/svg">${labels.join("")}${bars.join("")}<text x="140" y="14" font-size="10">0 s</text><text x="${W + 100}" y="14" font-size="10">${(span / 1000).toFixed(0)} s</text></svg>`;
}

function rowsPerTable(runs: readonly RunReport[]): string {
  const tables = [...new Set(runs.flatMap((r) => r.tables.map((t) => t.table)))].sort();
  const head = `<tr><th>table</th>${runs.map((r) => `<th>${esc(r.label)}</th>`).join("")}</tr>`;
  const body = tables.map((name) => {
    const cells = runs.map((r) => {
      const t = r.tables.find((x) => x.table === name);
      if (!t) return "<td></td>";
      const cls = t.status.toLowerCase();
      const text = t.status === "LOADED" ? `${t.rowsRead}/${t.rowsWritten}` : t.status.replace("SKIPPED_", "").toLowerCase();
      return `<td class="${cls}" title="${esc(t.detail)}">${esc(text)}</td>`;
    });
    return `<tr><td>${esc(name)}</td>${cells.join("")}</tr>`;
  });
  return `<table class="grid">${head}${body.join("")}</table>`;
}

function crawls(runs: readonly RunReport[]): string {
  const rows = runs.map((r) => {
    const what = r.crawl.started.length
      ? r.crawl.started.map((c) => `${esc(c.crawler)}: ${esc(c.tables.join(", "))}`).join("<br>")
      : `skipped: ${esc(r.crawl.skipped ?? "")}`;
    const sum = totals(r.tables);
    const alerts = r.alerts.map((a) => esc(a.split("\n")[0] ?? "")).join("<br>");
    const access = r.access.map((a) => `${esc(a.point)}: ${a.piiVisibleToUncleared}`).join("<br>");
    return `<tr><td>${esc(r.label)}</td><td>${r.jobState}</td><td>${sum.read}</td><td class="text">${what}</td><td class="text">${alerts}</td><td class="text">${access}</td></tr>`;
  });
  return `<table class="grid"><tr><th>run</th><th>job</th><th>rows read</th><th>crawler decision</th><th>alerts</th><th>PII columns visible to uncleared roles</th></tr>${rows.join("")}</table>`;
}

function reconciles(runs: readonly RunReport[]): string {
  const rows = runs.flatMap((r) =>
    r.tables.flatMap((t) => {
      const c = t.reconcile;
      if (!c) return [];
      return [
        `<tr title="${esc(reconcileText(t.table, c))}"><td>${esc(r.label)}</td><td class="text">${esc(t.table)}</td><td class="text">${esc(c.mode)} (${esc(c.method)})</td><td>${c.rangesCompared}</td><td>${c.rangesRepaired}</td><td>${c.rowsDeleted}</td><td>${c.rowsUpdated}</td><td>${c.rowsInserted}</td><td>${c.sourceRowsScanned}</td><td>${c.seconds.toFixed(1)}</td></tr>`,
      ];
    }),
  );
  if (rows.length === 0) return "<p>no reconcile ran</p>";
  return `<table class="grid"><tr><th>run</th><th>table</th><th>mode</th><th>ranges compared</th><th>ranges repaired</th><th>rows deleted</th><th>rows updated</th><th>rows inserted</th><th>source rows scanned</th><th>seconds</th></tr>${rows.join("")}</table>`;
}

function verdicts(m: ModeSummary): string {
  const rows = m.verdicts.map(
    (v) =>
      `<tr class="${v.status.toLowerCase()}"><td>${esc(v.name)}</td><td>${v.status}</td><td>${v.sourceRows ?? ""}</td><td>${v.lakeRows ?? ""}</td><td>${v.missing ?? ""}</td><td>${v.extra ?? ""}</td><td>${v.keysNotInSource ?? ""}</td><td>${v.keyDuplicates ?? ""}</td><td>${esc(v.detail ?? "")}</td></tr>`,
  );
  return `<table class="grid"><tr><th>table</th><th>verdict</th><th>source rows</th><th>lake rows</th><th>missing</th><th>not in source</th><th>keys deleted at the source</th><th>duplicate keys</th><th>detail</th></tr>${rows.join("")}</table>`;
}

/** A link the report's head lists (a file next to the report, e.g. the data dictionary). */
export interface ReportLink {
  readonly href: string;
  readonly text: string;
}

export function htmlReport(modes: readonly ModeSummary[], notes: readonly string[], links: readonly ReportLink[] = []): string {
  const figs = modes.map((m) => [m.mode, figures(m)] as const);
  const keys = Object.keys(FIGURE_LABELS) as (keyof Figures)[];
  const comparison = `<table class="grid"><tr><th></th>${figs.map(([m]) => `<th>${m}</th>`).join("")}</tr>${keys
    .map((k) => `<tr><td>${esc(FIGURE_LABELS[k])}</td>${figs.map(([, f]) => `<td>${esc(String(f[k]))}</td>`).join("")}</tr>`)
    .join("")}</table>`;
  const sections = modes.map(
    (m) => `<h2>${m.mode === "lake" ? "Governed lake (real coordinator)" : "Blueprint baseline"}</h2>
<h3>Run timeline per tier</h3>${timeline(m.runs)}
<h3>Rows per table and run (read/written)</h3>${rowsPerTable(m.runs)}
<h3>Crawler decisions, alerts and access audits</h3>${crawls(m.runs)}
<h3>Reconciles: what each compared and repaired</h3>${reconciles(m.runs)}
<h3>Lake versus source</h3>${verdicts(m)}`,
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>governed-lake demo day</title><style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}table.grid{border-collapse:collapse;font-size:12px;margin-bottom:1.5em}
.grid td,.grid th{border:1px solid #ccc;padding:3px 6px;text-align:right}.grid td:first-child,.grid td.text{text-align:left}
td.loaded{background:#e8f5e9}td.unchanged{background:#f5f5f5}td.failed,tr.different td,tr.lake_missing td{background:#ffebee}
td.skipped_leased{background:#fff8e1}tr.equal td:nth-child(2){color:#2e7d32}</style></head><body>
<h1>governed-lake: a day of the lake</h1><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join("")}${links
    .map((l) => `<li><a href="${esc(l.href)}">${esc(l.text)}</a></li>`)
    .join("")}</ul>
<h2>Side by side</h2>${comparison}${sections.join("\n")}</body></html>`;
}

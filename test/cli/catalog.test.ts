/**
 * lake catalog against the real MariaDB (the demo schema in a scratch database, one column comment
 * added), rendered by a real headless Chromium (Debian's chromium package): the DOM after the
 * page's script ran, the search box answering a query, and a screenshot kept as a test artifact
 * under .lake/test-artifacts/. Without chromium the test fails and says how to install it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTablesYaml } from "../../model";
import { createDemoDatabase, dropDatabase, execute, REPO_ROOT, sourceUrl } from "./support/mariadb";
import { lake } from "./support/run";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];
const ARTIFACTS = join(REPO_ROOT, ".lake", "test-artifacts");

function chromium(args: string[]): string {
  if (!CHROMIUM) throw new Error("the catalog test needs Debian's chromium package: apt-get install -y chromium");
  return execFileSync(CHROMIUM, [...FLAGS, ...args], { encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });
}

/** The DOM after the page's scripts ran. */
const dom = (file: string, hash = ""): string => chromium(["--virtual-time-budget=2000", "--dump-dom", `file://${file}${hash}`]);

describe("lake catalog (real MariaDB, headless Chromium)", function () {
  this.timeout(300_000);
  let db: string;
  let out: string;
  const model = loadTablesYaml(join(REPO_ROOT, "tables.yaml"));

  before(async () => {
    db = await createDemoDatabase("catalog");
    await execute(db, "ALTER TABLE customer MODIFY email VARCHAR(254) NULL COMMENT 'Contact e-mail <for invoices & reminders>'");
    out = mkdtempSync(join(tmpdir(), "lake-catalog-"));
    const result = await lake(["catalog", "--source", sourceUrl(db), "--stack", "dev", "--out", out]);
    assert.equal(result.code, 0, result.err);
  });
  after(async () => {
    if (db) await dropDatabase(db);
  });

  it("writes an index, one page per domain and Markdown", () => {
    assert.deepEqual(readdirSync(out).sort(), ["catalog.md", ...model.domains.map((d) => `${d.name}.html`), "index.html"].sort());
    const md = readFileSync(join(out, "catalog.md"), "utf8");
    assert.match(md, /^### customer$/m);
    assert.match(md, /^\| `email` \| varchar \| Contact e-mail <for invoices & reminders> \| PII \|$/m);
  });

  it("the index lists every domain with its table count, and its search box finds columns (Chromium DOM)", () => {
    const index = dom(join(out, "index.html"));
    for (const d of model.domains) {
      const count = model.tables.filter((t) => t.domain === d.name).length;
      assert.match(index, new RegExp(`<a href="${d.name}\\.html">${d.name}</a></td><td>[^<]*</td><td>[^<]*</td><td>${count}</td>`));
    }
    const found = dom(join(out, "index.html"), "#q=contact%20e-mail");
    const results = /<ul id="results">(.*?)<\/ul>/s.exec(found)?.[1] ?? "";
    assert.equal(
      results,
      '<li><a href="sales.html#customer">customer.email: Contact e-mail &lt;for invoices &amp; reminders&gt; (PII)</a></li>',
    );
    assert.match(found, /<span id="count" class="meta">1 match\(es\)<\/span>/);
  });

  it("a domain page has a section per table with owner, tier, PII marks and an Athena query without PII columns", () => {
    const sales = dom(join(out, "sales.html"));
    const sections = [...sales.matchAll(/<section class="table" id="([a-z0-9_]+)">/g)].map((m) => m[1]);
    assert.deepEqual(
      sections,
      model.tables.filter((t) => t.domain === "sales").map((t) => t.name),
    );
    const customer = /<section class="table" id="customer">(.*?)<\/section>/s.exec(sales)?.[1] ?? "";
    assert.match(customer, /<tr><th>Tier<\/th><td>every_15_min: Every 15 minutes/);
    assert.match(
      customer,
      /<tr><td><code>email<\/code><\/td><td>varchar<\/td><td>Contact e-mail &lt;for invoices &amp; reminders&gt;<\/td><td><span class="pii">PII<\/span><\/td><\/tr>/,
    );
    assert.match(customer, /<tr><td><code>customer_id<\/code> \(key\)<\/td>/);
    const query = /<pre>(.*?)<\/pre>/s.exec(customer)?.[1] ?? "";
    // Chromium serializes quotes in text as they are.
    assert.match(query, /FROM "acme_dev_sales"\."customer"/);
    for (const pii of model.tables.find((t) => t.name === "customer")?.pii ?? [])
      assert.ok(!query.includes(`"${pii}"`), `query shows PII ${pii}`);
  });

  it("renders a screenshot of the index and of a domain page (kept in .lake/test-artifacts/)", () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [name, file] of [
      ["catalog-index.png", "index.html#q=customer"],
      ["catalog-sales.png", "sales.html"],
    ] as const) {
      const shot = join(ARTIFACTS, name);
      chromium(["--window-size=1280,1000", "--virtual-time-budget=2000", `--screenshot=${shot}`, `file://${join(out, file)}`]);
      const png = readFileSync(shot);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.equal(png.readUInt32BE(16), 1280);
      assert.ok(statSync(shot).size > 20_000, `${name} is ${statSync(shot).size} bytes: a blank page?`);
    }
  });
});

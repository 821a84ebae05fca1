/**
 * LF-TBAC semantics of `lake access` (cli/access/lfTbac.ts), one documented rule per test, each
 * naming the AWS Lake Formation Developer Guide page it implements. Pure: no AWS.
 */
import assert from "node:assert/strict";
import {
  effectiveColumnTags,
  expressionMatches,
  grantsRevealing,
  inheritTags,
  type CatalogDatabase,
  type Grant,
  type Tag,
} from "../../cli/access/lfTbac";

const tag = (key: string, value: string): Tag => ({ key, value });
const ANALYST = "arn:aws:iam::111111111111:role/analyst";

function db(tags: Tag[], tableTags: Tag[] = [], columns: Record<string, Tag[]> = {}): CatalogDatabase {
  return {
    name: "lake_sales",
    tags,
    tables: [{ name: "customer", tags: tableTags, columns: Object.entries(columns).map(([name, t]) => ({ name, tags: t })) }],
  };
}

function tableGrant(expression: { key: string; values: string[] }[], permissions = ["SELECT", "DESCRIBE"]): Grant {
  return { principal: ANALYST, permissions, withGrantOption: [], resource: { kind: "tagPolicy", resourceType: "TABLE", expression } };
}

function visible(grants: Grant[], database: CatalogDatabase, column: string): boolean {
  const table = database.tables[0];
  const col = table.columns.find((c) => c.name === column);
  assert.ok(col);
  return grantsRevealing(grants, ANALYST, database, table, col).length > 0;
}

describe("LF-TBAC: inheritance (TBAC-assigning-tags.html, 'Assigning LF-Tags to Data Catalog resources')", () => {
  it("a table inherits its database's tags and a column its table's", () => {
    const d = db([tag("domain", "sales"), tag("pii", "true")], [], { email: [] });
    assert.deepEqual(effectiveColumnTags(d, d.tables[0], d.tables[0].columns[0]), [tag("domain", "sales"), tag("pii", "true")]);
  });

  it("a value assigned at the lower level overrides the inherited value of that key only", () => {
    assert.deepEqual(inheritTags([tag("domain", "sales"), tag("pii", "true")], [tag("pii", "false")]), [
      tag("domain", "sales"),
      tag("pii", "false"),
    ]);
    const d = db([tag("domain", "sales"), tag("pii", "true")], [tag("pii", "false")], { email: [tag("pii", "true")], id: [] });
    const [email, id] = d.tables[0].columns;
    assert.deepEqual(effectiveColumnTags(d, d.tables[0], email), [tag("domain", "sales"), tag("pii", "true")], "column over table");
    assert.deepEqual(effectiveColumnTags(d, d.tables[0], id), [tag("domain", "sales"), tag("pii", "false")], "table over database");
  });
});

describe("LF-TBAC: expressions (lf-tag-considerations.html and TBAC-creating-tag-expressions.html)", () => {
  it("keys combine with AND: every key of the expression must match", () => {
    const expr = [
      { key: "domain", values: ["sales"] },
      { key: "pii", values: ["false"] },
    ];
    assert.equal(expressionMatches(expr, [tag("domain", "sales"), tag("pii", "false")]), true);
    assert.equal(expressionMatches(expr, [tag("domain", "sales"), tag("pii", "true")]), false);
  });

  it("values of one key combine with OR: any listed value matches", () => {
    const expr = [{ key: "domain", values: ["finance", "sales"] }];
    assert.equal(expressionMatches(expr, [tag("domain", "sales")]), true);
    assert.equal(expressionMatches(expr, [tag("domain", "finance")]), true);
    assert.equal(expressionMatches(expr, [tag("domain", "hr")]), false);
  });

  it("a resource without a key of the expression does not match it", () => {
    assert.equal(expressionMatches([{ key: "pii", values: ["false"] }], [tag("domain", "sales")]), false);
  });
});

describe("LF-TBAC: column access by a TABLE tag policy grant", () => {
  const grants = [
    tableGrant([
      { key: "domain", values: ["sales"] },
      { key: "pii", values: ["false"] },
    ]),
  ];

  it("fail closed: under a pii=true database, only columns with their own pii=false are visible to `domain AND pii=false`", () => {
    const d = db([tag("domain", "sales"), tag("pii", "true")], [], {
      customer_id: [tag("pii", "false")],
      email: [tag("pii", "true")],
      new_col: [],
    });
    assert.deepEqual(
      ["customer_id", "email", "new_col"].map((c) => visible(grants, d, c)),
      [true, false, false],
    );
  });

  it("the old, fail-open layout: under a pii=false database an untagged new column is visible", () => {
    const d = db([tag("domain", "sales"), tag("pii", "false")], [], { new_col: [] });
    assert.equal(visible(grants, d, "new_col"), true);
  });

  it("a grant without SELECT (DESCRIBE only) or on DATABASE resources reveals no column", () => {
    const d = db([tag("domain", "sales"), tag("pii", "false")], [], { id: [] });
    assert.equal(visible([tableGrant([{ key: "domain", values: ["sales"] }], ["DESCRIBE"])], d, "id"), false);
    const onDatabases: Grant = {
      principal: ANALYST,
      permissions: ["SELECT"],
      withGrantOption: [],
      resource: { kind: "tagPolicy", resourceType: "DATABASE", expression: [{ key: "domain", values: ["sales"] }] },
    };
    assert.equal(visible([onDatabases], d, "id"), false);
  });

  it("named-resource grants: a table grant reveals every column, a column grant the named ones", () => {
    const d = db([tag("domain", "sales"), tag("pii", "true")], [], { id: [], email: [] });
    const onTable: Grant = {
      principal: ANALYST,
      permissions: ["SELECT"],
      withGrantOption: [],
      resource: { kind: "table", database: "lake_sales", table: "customer" },
    };
    assert.equal(visible([onTable], d, "email"), true);
    const onColumns: Grant = {
      principal: ANALYST,
      permissions: ["SELECT"],
      withGrantOption: [],
      resource: { kind: "columns", database: "lake_sales", table: "customer", columns: ["id"] },
    };
    assert.deepEqual([visible([onColumns], d, "id"), visible([onColumns], d, "email")], [true, false]);
  });
});

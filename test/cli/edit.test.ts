/**
 * model/edit.ts, the text edit behind lake onboard: entries go in after the last item of `tables`,
 * indented like it, and no existing byte changes; an empty or flow `tables` list is re-printed.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkTablesYaml } from "../../model";
import { appendTableEntries, type NewTableEntry } from "../../model/edit";
import { REPO_ROOT } from "./support/mariadb";

/** tables.yaml's sections before `tables:` (tiers, domains, access). */
const SECTIONS = ((): string => {
  const text = readFileSync(join(REPO_ROOT, "tables.yaml"), "utf8");
  const at = text.indexOf("\ntables:\n");
  assert.ok(at > 0, "tables.yaml changed shape: no tables section");
  return text.slice(0, at + 1);
})();

const ENTRY: NewTableEntry = {
  fields: {
    name: "loyalty_account",
    domain: "sales",
    tier: "daily",
    strategy: "incremental",
    cursor: "updated_at",
    key: undefined,
    primaryKey: ["loyalty_account_id"],
    pii: ["email", "card_number"],
    description: "Loyalty accounts: one per customer\nsecond line",
  },
  comments: ["--- proposed ---", "loyalty_account: incremental"],
  fieldComments: { domain: "TODO confirm domain" },
};

const SECOND: NewTableEntry = {
  fields: { name: "point_event", domain: "sales", tier: "daily", strategy: "append", key: "event_id", description: "Points" },
};

/** `after` is `before` with one block inserted at `at`; returns the block. */
function insertedAt(before: string, after: string, at: number): string {
  assert.equal(after.slice(0, at), before.slice(0, at), "bytes before the insertion changed");
  assert.ok(after.endsWith(before.slice(at)), "bytes after the insertion changed");
  return after.slice(at, after.length - (before.length - at));
}

describe("model/edit: appending tables.yaml entries", () => {
  it("inserts after the last item with the first item's dash and key columns, and leaves the rest alone", () => {
    const before =
      SECTIONS +
      "tables:\n" +
      "-   name: customer     #  the first one\n" +
      "    domain: sales\n    tier: daily\n    strategy: snapshot\n    primaryKey: [ customer_id ]\n    description: Customers\n" +
      "#   - name: old   (commented out, after the list)\n";
    const after = appendTableEntries(before, [ENTRY, SECOND]);
    const block = insertedAt(before, after, before.indexOf("#   - name: old"));
    assert.equal(
      block,
      [
        "",
        "# --- proposed ---",
        "# loyalty_account: incremental",
        "-   name: loyalty_account",
        "    domain: sales # TODO confirm domain",
        "    tier: daily",
        "    strategy: incremental",
        "    cursor: updated_at",
        "    primaryKey: [loyalty_account_id]",
        "    pii: [email, card_number]",
        "    description: |-",
        "      Loyalty accounts: one per customer",
        "      second line",
        "",
        "-   name: point_event",
        "    domain: sales",
        "    tier: daily",
        "    strategy: append",
        "    key: event_id",
        "    description: Points",
        "",
      ].join("\n"),
    );
    const check = checkTablesYaml(after, "after.yaml");
    assert.deepEqual(check.issues, []);
    assert.equal(check.model?.tables[1].description, "Loyalty accounts: one per customer\nsecond line");
  });

  it("adds the missing line break of a file that ends without one", () => {
    const before = SECTIONS + "tables:\n  - name: customer\n    domain: sales\n    tier: daily\n    strategy: snapshot\n    description: C";
    const after = appendTableEntries(before, [SECOND]);
    assert.ok(after.startsWith(before + "\n\n  - name: point_event\n    domain: sales\n"), after.slice(before.length - 20));
    assert.deepEqual(checkTablesYaml(after, "after.yaml").issues, []);
  });

  it("falls back to a document edit for an empty flow list (tables: [])", () => {
    const before = SECTIONS + "tables: []\n";
    const after = appendTableEntries(before, [ENTRY]);
    const check = checkTablesYaml(after, "after.yaml");
    assert.deepEqual(check.issues, []);
    assert.deepEqual(
      check.model?.tables.map((t) => t.name),
      ["loyalty_account"],
    );
    assert.match(after, /^tables:\n {2}# --- proposed ---\n {2}# loyalty_account: incremental\n {2}- name: loyalty_account\n/m);
    assert.match(after, /^ {4}domain: sales # TODO confirm domain$/m);
  });

  it("refuses text that is not YAML or has no tables list", () => {
    assert.throws(() => appendTableEntries("tables: [\n", [SECOND]), /cannot edit/);
    assert.throws(() => appendTableEntries("tables: 3\n", [SECOND]), /"tables" is not a list/);
  });
});

/** The PII tag plan (handlers/coordinator/core/tagPlan.ts) and the PII_TAG_KEY setting. Pure. */
import assert from "node:assert/strict";
import { loadConfig } from "../../handlers/coordinator/config";
import { planIsEmpty, planPiiTags } from "../../handlers/coordinator/core/tagPlan";
import { columnClasses } from "../../model";

const classes = columnClasses({ pii: ["Email"], nonPii: ["customer_id", "updated_at"] });
const none = { table: undefined, columns: new Map<string, string>() };

describe("coordinator PII tag plan", () => {
  it("a fresh table: reveal nonPii and lineage columns, hide pii ones, leave unclassified ones to inherit pii=true", () => {
    const plan = planPiiTags(["customer_id", "email", "updated_at", "loyalty_tier", "_run_id"], classes, none);
    assert.deepEqual(plan, {
      hideTable: false,
      hide: ["email"],
      reveal: ["customer_id", "updated_at", "_run_id"],
      unclassified: ["loyalty_tier"],
    });
  });

  it("nothing to do when the actual tags are the desired ones", () => {
    const actual = {
      table: "true",
      columns: new Map([
        ["customer_id", "false"],
        ["updated_at", "false"],
        ["email", "true"],
      ]),
    };
    const plan = planPiiTags(["customer_id", "updated_at", "email", "loyalty_tier"], classes, actual);
    assert.equal(planIsEmpty(plan), true);
    assert.deepEqual(plan.unclassified, ["loyalty_tier"]);
  });

  it("hides what was revealed wrongly: a pii column at pii=false, an unclassified one at pii=false, a table at pii=false", () => {
    const actual = {
      table: "false",
      columns: new Map([
        ["email", "false"],
        ["loyalty_tier", "false"],
        ["customer_id", "false"],
        ["updated_at", "false"],
      ]),
    };
    const plan = planPiiTags(["customer_id", "updated_at", "email", "loyalty_tier"], classes, actual);
    assert.deepEqual([plan.hideTable, plan.hide, plan.reveal], [true, ["email", "loyalty_tier"], []]);
  });

  it("compares catalog (lower-case) names with mixed-case classifications", () => {
    const plan = planPiiTags(["EMAIL", "Customer_ID"], classes, none);
    assert.deepEqual([plan.hide, plan.reveal], [["email"], ["customer_id"]]);
  });

  it("reads PII_TAG_KEY (the stack's prefix + pii), default pii, and rejects a key Lake Formation would not take", () => {
    const env = {
      LAKE_NAME: "lake",
      ENVIRONMENT: "prod",
      STATE_TABLE: "lake-state",
      MANIFEST_BUCKET: "lake-scripts",
      RAW_BUCKET: "lake-raw",
      WAREHOUSE_BUCKET: "lake-warehouse",
      DATABASE_PREFIX: "lake",
      TIER_JOBS: '{"daily":"lake-daily"}',
      CRAWLERS: '{"sales":"lake-raw-sales"}',
      ALERT_TOPIC_ARN: "arn:aws:sns:eu-central-1:123456789012:lake-alerts",
      SOURCE_ENGINE: "mariadb",
      SOURCE_DATABASE: "erp",
      SOURCE_CONNECTION: "lake-source",
      LEASE_SECONDS: "10800",
      BUSINESS_TIME_ZONE: "Europe/Berlin",
    };
    assert.equal(loadConfig(env, "/var/task").piiTagKey, "pii");
    assert.equal(loadConfig({ ...env, PII_TAG_KEY: "acme_pii" }, "/var/task").piiTagKey, "acme_pii");
    assert.throws(() => loadConfig({ ...env, PII_TAG_KEY: "a b" }, "/var/task"), /PII_TAG_KEY="a b" is not an LF-tag key/);
  });
});

/**
 * The demo's local job runner follows a job's progress from its log lines (demo/launcher.ts
 * tableEnd): the full profile fires D2's overlapping 15-minute run once the daily run has a table
 * done. The lines below are copied from a real job log (`.lake/demo/logs/lake/`): the job's format
 * (job.py) puts the worker thread, `[table:<name>]`, between the logger and the message. A parser
 * that missed it counted no table done and the full profile waited for ever.
 */
import { strict as assert } from "node:assert";
import { tableEnd } from "../../demo/launcher";

describe("demo launcher: a table's end in the job's log", () => {
  it("reads a loaded and an unchanged table from a worker thread's line", () => {
    assert.deepEqual(
      tableEnd(
        "2026-11-30 02:56:14,918 INFO lake_ingest [table:customer] customer: LOADED rows read 196, written 196, watermark 2026-11-30T02:55:46.341962Z",
      ),
      { table: "customer", what: "LOADED (read 196, written 196)" },
    );
    assert.deepEqual(
      tableEnd("2026-11-30 02:56:20,101 INFO lake_ingest [table:plant] plant: UNCHANGED rows read 0, written 0, watermark None"),
      { table: "plant", what: "UNCHANGED (read 0, written 0)" },
    );
  });

  it("reads a failed table, and a line logged from the main thread", () => {
    const failed = tableEnd(
      "2026-11-30 02:57:13,119 ERROR lake_ingest [table:quality_inspection] quality_inspection failed: SourceTableMissing: source table erp_demo.quality_inspection does not exist",
    );
    assert.equal(failed?.table, "quality_inspection");
    assert.match(failed?.what ?? "", /^FAILED SourceTableMissing/);
    assert.equal(
      tableEnd("2026-11-30 02:56:14,918 INFO lake_ingest [MainThread] sales_order: LOADED rows read 5, written 5, watermark x")?.table,
      "sales_order",
    );
  });

  it("ignores every other line, including other failures of a table", () => {
    for (const line of [
      "2026-11-30 02:55:48,309 INFO lake_ingest [MainThread] loading 44 tables, 4 at once",
      "2026-11-30 02:57:13,500 ERROR lake_ingest [table:customer] customer: recording the failure failed: timeout",
      "2026-11-30 02:57:36,575 INFO py4j.clientserver [Dummy-6] Closing down clientserver connection",
    ])
      assert.equal(tableEnd(line), undefined, line);
  });
});

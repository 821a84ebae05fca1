/**
 * The freshness alarms and the dashboard, in the program under Pulumi mocks (pulumi.runtime.setMocks:
 * no cloud; the inputs that would be sent to AWS are asserted). The metric names and dimensions are
 * the ones the coordinator's finalize writes (handlers/coordinator/core/freshnessMetrics.ts, metrics.ts).
 */
import assert from "node:assert/strict";
import { loadTablesYaml } from "../../model";
import { staleExpression, tierWatch } from "../../components/freshnessAlarms";
import { METRIC_NAMESPACE } from "../../handlers/coordinator/core/metrics";
import { REPO_ROOT, runLakeProgram } from "../../stacks/program";
import { stackFileConfig } from "../fixtures/stackConfig";
import { ofType, parseJson, runWithMocks, type RecordedResource } from "./harness";

type Dict = Record<string, unknown>;
interface Query {
  id: string;
  expression?: string;
  returnData?: boolean;
  metric?: { namespace: string; metricName: string; dimensions: Dict; stat: string; period: number };
}

describe("freshness alarms and the lake dashboard (Pulumi mocks)", function () {
  this.timeout(120_000);
  let resources: RecordedResource[];
  const model = loadTablesYaml(`${REPO_ROOT}/tables.yaml`);
  const tier = (name: string) => model.tiers.find((t) => t.name === name) ?? assert.fail(`no tier ${name}`);

  before(async () => {
    resources = (await runWithMocks(stackFileConfig("dev"), () => runLakeProgram())).resources;
  });

  it("watches the 15-minute workday tier only Monday to Friday inside its Berlin hours (both UTC offsets), the daily tier always", () => {
    const quarter = tierWatch(tier("every_15_min"), "Europe/Berlin", 2026);
    // Active 06:00-19:45 Berlin: watched from 07:00 (after the first run) to 20:00 local, i.e.
    // 06-19 UTC in winter (+1) and 05-18 UTC in summer (+2): 06-18 UTC holds in both.
    assert.deepEqual(quarter, { thresholdSeconds: 2700, periodSeconds: 2700, days: [1, 2, 3, 4, 5], utcHours: [6, 18] });
    assert.equal(
      staleExpression(quarter),
      "IF((DAY(runs0) == 1 OR DAY(runs0) == 2 OR DAY(runs0) == 3 OR DAY(runs0) == 4 OR DAY(runs0) == 5) AND HOUR(runs0) >= 6 AND HOUR(runs0) < 18, IF(runs0 == 0, 2701, FILL(age, 0)), 0)",
    );
    const daily = tierWatch(tier("daily"), "Europe/Berlin", 2026);
    assert.deepEqual(daily, { thresholdSeconds: 93600, periodSeconds: 86400, days: undefined, utcHours: undefined });
    assert.equal(staleExpression(daily), "IF(runs0 == 0, 93601, FILL(age, 0))");
    // The same schedule in New York (-5/-4): 07:00-20:00 local is 12-25 / 11-24 UTC -> 12-24.
    assert.deepEqual(tierWatch(tier("every_15_min"), "America/New_York", 2026).utcHours, [12, 24]);
  });

  it("creates one freshness alarm per tier on OldestLoadAgeSeconds with the coordinator's dimensions, alerting the lake's topic", () => {
    const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.endsWith("-freshness"));
    assert.deepEqual(alarms.map((a) => a.name).sort(), ["acme-dev-freshness-daily-freshness", "acme-dev-freshness-every-15-min-freshness"]);
    for (const alarm of alarms) {
      const queries = alarm.inputs.metricQueries as Query[];
      const age = queries.find((q) => q.id === "age");
      const tierName = alarm.name.includes("daily") ? "daily" : "every_15_min";
      assert.deepEqual(age?.metric && { ...age.metric, period: undefined }, {
        namespace: METRIC_NAMESPACE,
        metricName: "OldestLoadAgeSeconds",
        dimensions: { Lake: "acme-dev", Environment: "dev", Tier: tierName },
        stat: "Maximum",
        period: undefined,
      });
      assert.deepEqual(
        queries.filter((q) => q.returnData).map((q) => q.id),
        ["stale"],
      );
      assert.equal(alarm.inputs.threshold, tierName === "daily" ? 93600 : 2700);
      assert.equal(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
      assert.match(String((alarm.inputs.alarmActions as string[])[0]), /^arn:aws:sns:/);
      assert.equal((alarm.inputs.tags as Dict).lake, "acme");
    }
  });

  it("builds one dashboard with runs, failures, lag, rows, crawls, reconcile repairs, the Lambda and the freshness alarms", () => {
    const dashboards = ofType(resources, "aws:cloudwatch/dashboard:Dashboard");
    assert.equal(dashboards.length, 1);
    assert.equal(dashboards[0].inputs.dashboardName, "acme-dev");
    const body = parseJson<{ widgets: { type: string; x: number; y: number; width: number; properties: Dict }[] }>(
      dashboards[0].inputs.dashboardBody,
    );
    const titles = body.widgets.map((w) => w.properties.title);
    assert.deepEqual(titles, [
      "Runs finished per tier",
      "Failures: job runs and tables",
      "Oldest successful load per tier (seconds)",
      "Ten slowest tables: seconds since their last load",
      "Rows read and written",
      "Crawls",
      "Reconcile repairs",
      "Coordinator Lambda",
      "Freshness alarms (lake status shows the tables)",
    ]);
    const metricsOf = (title: string): unknown[][] =>
      body.widgets.find((w) => w.properties.title === title)?.properties.metrics as unknown[][];
    // Every tier's metric line names the coordinator's dimensions.
    assert.deepEqual(
      metricsOf("Oldest successful load per tier (seconds)").map((m) => m.slice(0, 8)),
      model.tiers.map((t) => [METRIC_NAMESPACE, "OldestLoadAgeSeconds", "Lake", "acme-dev", "Environment", "dev", "Tier", t.name]),
    );
    const lag = JSON.stringify(metricsOf("Ten slowest tables: seconds since their last load"));
    assert.match(
      lag,
      /SORT\(SEARCH\('\{GovernedLake\/Coordinator,Environment,Lake,Table\} MetricName=\\"TableLagSeconds\\" Lake=\\"acme-dev\\"/,
    );
    assert.equal(metricsOf("Coordinator Lambda")[0][3], "acme-dev-coordinator");
    const alarmWidget = body.widgets.at(-1);
    assert.equal((alarmWidget?.properties.alarms as string[]).length, 2);
    // No two widgets overlap.
    const cells = new Set<string>();
    for (const w of body.widgets) {
      for (let x = w.x; x < w.x + w.width; x++) {
        const cell = `${x},${w.y}`;
        assert.ok(!cells.has(cell), `widgets overlap at ${cell}`);
        cells.add(cell);
      }
    }
  });
});

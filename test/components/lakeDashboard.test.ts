/**
 * LakeDashboard alone, under Pulumi mocks (pulumi.runtime.setMocks), with a pretend existing
 * coordinator function and alarms: one dashboard named after the lake, on the coordinator's metrics.
 */
import assert from "node:assert/strict";
import { LakeDashboard } from "../../components/lakeDashboard";
import { inventory, only, parseJson, REGION, runComponent } from "./support";

const TYPE = "lake:runtime:LakeDashboard";

describe("LakeDashboard alone (Pulumi mocks)", () => {
  it("creates one dashboard named after the lake, showing the given function, tiers and alarms", async () => {
    const alarms = ["arn:aws:cloudwatch:eu-central-1:123456789012:alarm:estate-daily-freshness"];
    const run = await runComponent(
      TYPE,
      () =>
        new LakeDashboard("estate-ops", {
          lakeName: "estate-test",
          environmentName: "test",
          tiers: ["daily", "hourly"],
          region: REGION,
          coordinatorFunctionName: "estate-coordinator",
          freshnessAlarmArns: alarms,
        }),
    );
    assert.deepEqual(inventory(run), { "aws:cloudwatch/dashboard:Dashboard": 1 });
    const dashboard = only(run, "aws:cloudwatch/dashboard:Dashboard").inputs;
    assert.equal(dashboard.dashboardName, "estate-test");
    const widgets = parseJson<{ widgets: { type: string; properties: Record<string, unknown> }[] }>(dashboard.dashboardBody).widgets;
    const body = JSON.stringify(widgets);
    assert.ok(body.includes('"AWS/Lambda","Errors","FunctionName","estate-coordinator"'));
    for (const tier of ["daily", "hourly"]) assert.ok(body.includes(`"Lake","estate-test","Environment","test","Tier","${tier}"`), tier);
    assert.deepEqual(widgets.find((w) => w.type === "alarm")?.properties.alarms, alarms);
    assert.ok(widgets.every((w) => w.type !== "metric" || w.properties.region === REGION));
    assert.deepEqual(run.outputs, { dashboardName: "estate-test" });
  });
});

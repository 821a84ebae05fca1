/**
 * FreshnessAlarms alone, under Pulumi mocks (pulumi.runtime.setMocks), for the repository's
 * tables.yaml tiers and a pretend existing alert topic: one alarm per tier on the coordinator's
 * OldestLoadAgeSeconds with its dimensions, notifying the topic on alarm and on OK.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { FreshnessAlarms } from "../../components/freshnessAlarms";
import { PACKAGE_ROOT } from "../../components/packageFiles";
import { loadTablesYaml } from "../../model";
import { byName, EXISTING, inventory, runComponent, TAGS } from "./support";

const TYPE = "lake:runtime:FreshnessAlarms";
const MODEL = loadTablesYaml(join(PACKAGE_ROOT, "tables.yaml"));
const ZONES = Object.fromEntries(MODEL.tiers.map((t) => [t.name, "Europe/Berlin"]));

describe("FreshnessAlarms alone (Pulumi mocks)", () => {
  it("creates one alarm per tier on the coordinator's metric and dimensions, alerting the given topic", async () => {
    const run = await runComponent(
      TYPE,
      () =>
        new FreshnessAlarms("estate-freshness", {
          tags: TAGS,
          lakeName: "estate-test",
          environmentName: "test",
          tiers: MODEL.tiers,
          timeZones: ZONES,
          alarmTopicArn: EXISTING.topicArn,
        }),
    );
    assert.deepEqual(inventory(run), { "aws:cloudwatch/metricAlarm:MetricAlarm": MODEL.tiers.length });
    const alarms = byName(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
    for (const tier of MODEL.tiers) {
      const alarm = alarms.get(`estate-freshness-${tier.name.replace(/_/g, "-")}-freshness`)?.inputs;
      assert.ok(alarm, tier.name);
      assert.deepEqual(alarm.alarmActions, [EXISTING.topicArn]);
      assert.deepEqual(alarm.okActions, [EXISTING.topicArn]);
      assert.equal(alarm.comparisonOperator, "GreaterThanThreshold");
      assert.deepEqual(alarm.tags, TAGS);
      const queries = alarm.metricQueries as { id: string; metric?: { metricName: string; namespace: string; dimensions: unknown } }[];
      for (const q of queries.filter((x) => x.metric)) {
        assert.equal(q.metric?.metricName, "OldestLoadAgeSeconds");
        assert.equal(q.metric?.namespace, "GovernedLake/Coordinator");
        assert.deepEqual(q.metric?.dimensions, { Lake: "estate-test", Environment: "test", Tier: tier.name });
      }
    }
    assert.deepEqual(
      run.outputs.alarmNames,
      [...alarms.values()].map((a) => `${a.name}-x1`),
    );
  });

  it("refuses a tier without a time zone, naming it", async () => {
    await assert.rejects(
      runComponent(
        TYPE,
        () =>
          new FreshnessAlarms("estate-freshness", {
            tags: TAGS,
            lakeName: "estate-test",
            environmentName: "test",
            tiers: MODEL.tiers,
            timeZones: {},
            alarmTopicArn: EXISTING.topicArn,
          }),
      ),
      new RegExp(`FreshnessAlarms estate-freshness: no time zone for tier ${MODEL.tiers[0].name}`),
    );
  });
});

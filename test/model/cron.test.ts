import assert from "node:assert/strict";
import { CronError, firesEveryDay, firesOnWeekends, firesPerActiveHour, parseCron, runsPerActiveDay, weekdaysFired } from "../../model";

describe("EventBridge Scheduler cron", () => {
  it("reads the 15-minute workday schedule", () => {
    const cron = parseCron("cron(0/15 6-19 ? * MON-FRI *)");
    assert.deepEqual([...cron.minutes], [0, 15, 30, 45]);
    assert.deepEqual([...cron.hours], [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.deepEqual([...weekdaysFired(cron)].sort(), [2, 3, 4, 5, 6]);
    assert.equal(firesOnWeekends(cron), false);
    assert.equal(firesPerActiveHour(cron), 4);
    assert.equal(runsPerActiveDay(cron), 56);
    assert.equal(firesEveryDay(cron), false);
  });

  it("reads a daily schedule", () => {
    const cron = parseCron("cron(30 1 * * ? *)");
    assert.equal(firesEveryDay(cron), true);
    assert.equal(firesOnWeekends(cron), true);
    assert.equal(runsPerActiveDay(cron), 1);
  });

  it("understands numeric weekdays (1 = Sunday), lists, L and # forms", () => {
    assert.equal(firesOnWeekends(parseCron("cron(0 8 ? * 2-6 *)")), false);
    assert.equal(firesOnWeekends(parseCron("cron(0 8 ? * 1,3 *)")), true);
    assert.deepEqual([...weekdaysFired(parseCron("cron(0 8 ? * 6L *)"))], [6]);
    assert.deepEqual([...weekdaysFired(parseCron("cron(0 8 ? * MON#1 *)"))], [2]);
    assert.equal(firesOnWeekends(parseCron("cron(0 8 L * ? *)")), true);
  });

  it("rejects malformed expressions with the field at fault", () => {
    const cases: [string, RegExp][] = [
      ["0 8 * * ? *", /not of the form cron/],
      ["cron(0 8 * * ?)", /expected 6 fields/],
      ["cron(61 8 * * ? *)", /minutes: 61 is outside 0-59/],
      ["cron(0 8 * * * *)", /exactly one of day-of-month/],
      ["cron(0 8 ? * FUNDAY *)", /day-of-week: "FUNDAY" is not a number/],
      ["cron(0/0 8 * * ? *)", /step "0" must be a positive number/],
      ["cron(0 20-6 * * ? *)", /runs backwards/],
      ["cron(? 8 * * ? *)", /only allowed in the day fields/],
    ];
    for (const [expression, message] of cases) {
      assert.throws(
        () => parseCron(expression),
        (e: unknown) => e instanceof CronError && message.test(e.message),
        expression,
      );
    }
  });
});

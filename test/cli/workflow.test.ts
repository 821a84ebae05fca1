/** The pull-request workflow's plan job: the plan comment is posted even when `lake plan` fails, and the job still fails. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "./support/mariadb";

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly "continue-on-error"?: boolean;
}

interface Workflow {
  readonly jobs: Readonly<Record<string, { readonly steps: readonly Step[]; readonly "continue-on-error"?: boolean }>>;
}

describe("CI: the plan job of .github/workflows/pull-request.yml", () => {
  const workflow: Workflow = parse(readFileSync(join(REPO_ROOT, ".github", "workflows", "pull-request.yml"), "utf8"));
  const plan = workflow.jobs.plan;
  const planStep = plan.steps.findIndex((s) => s.run?.includes("cli/index.ts plan") === true);
  const commentStep = plan.steps.findIndex((s) => s.uses?.startsWith("actions/github-script@") === true);

  it("posts the comment after a failed lake plan, when plan.md was written", () => {
    assert.ok(planStep >= 0 && commentStep > planStep, "a lake plan step followed by a github-script comment step");
    const condition = plan.steps[commentStep].if ?? "";
    assert.match(condition, /\balways\(\)/, "without always() a failed plan step skips the comment");
    assert.match(condition, /hashFiles\('plan\.md'\) != ''/, "only when plan.md exists");
    const summary = plan.steps.find((s) => s.run?.includes("GITHUB_STEP_SUMMARY") === true);
    assert.ok(summary, "the plan goes to the job summary");
    assert.match(summary.if ?? "", /\balways\(\)/, "the summary too");
  });

  it("still fails the job when lake plan fails", () => {
    const step = plan.steps[planStep];
    assert.match(step.run ?? "", /set -o pipefail/, "tee must not hide lake plan's exit code");
    assert.notEqual(step["continue-on-error"], true);
    assert.notEqual(plan["continue-on-error"], true);
  });
});

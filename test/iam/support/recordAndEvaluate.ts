/**
 * The whole evaluation, shared by the mocha test and `npm run iam:report`: synthesize, record,
 * evaluate. All of test/iam is test tooling, not product: the product is the policies the
 * components declare (components/*.ts) and the code making the calls; this checks one against the
 * other. Nothing here runs in AWS, and the evaluator (@cloud-copilot/iam-simulate, AGPL-3.0) is a
 * devDependency that never reaches the Lambda bundle or the Glue job.
 */
import { evaluateRequests, type RoleEvaluation } from "./evaluate";
import { recordLakeRunDetailed } from "./lakeRun";
import { roleByArn, synthesizeLake, type SynthesizedLake } from "./synthesized";

export interface Evaluated {
  readonly lake: SynthesizedLake;
  readonly evaluations: RoleEvaluation[];
  readonly jobExitCode: number;
  readonly jobLog: string;
}

export async function recordAndEvaluate(motoUrl: string): Promise<Evaluated> {
  const lake = await synthesizeLake("dev");
  const run = await recordLakeRunDetailed(lake, motoUrl);
  const evaluations: RoleEvaluation[] = [];
  for (const r of run.recordings)
    evaluations.push(await evaluateRequests(lake, r.actor, roleByArn(lake, r.roleArn), r.requests, r.extraCalls));
  return { lake, evaluations, jobExitCode: run.jobExitCode, jobLog: run.jobLog };
}

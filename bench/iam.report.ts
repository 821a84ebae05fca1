/**
 * IAM least-privilege report (prints figures; the assertions are in test/iam/recordedCalls.test.ts).
 *   npm run -s iam:report          (its own moto on IAM_MOTO_PORT, else MOTO_PORT, else 5059; 2-5 minutes)
 * Records a real coordinator run and the ingest job for it against moto, evaluates every call
 * against the synthesized roles, bucket and key policies, and prints per role the calls allowed
 * and denied, and the allowed actions no recorded call used.
 */
import { countDecisions } from "../test/iam/support/evaluate";
import { startRecordingMoto } from "../test/iam/support/motoServer";
import { recordAndEvaluate } from "../test/iam/support/recordAndEvaluate";
import { reportLines } from "../test/iam/support/report";

async function main(): Promise<void> {
  const moto = await startRecordingMoto(process.env["IAM_MOTO_PORT"] ?? process.env["MOTO_PORT"] ?? "5059");
  try {
    const started = Date.now();
    const run = await recordAndEvaluate(moto.url);
    console.log(reportLines(run.evaluations, run.lake).join("\n"));
    let allowed = 0;
    let denied = 0;
    for (const e of run.evaluations) {
      const c = countDecisions(e);
      allowed += c.allowed;
      denied += c.denied;
    }
    console.log(
      `total: ${allowed + denied} authorization checks, allowed ${allowed}, denied ${denied} (job exit ${run.jobExitCode}; ${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    process.exitCode = denied > 0 ? 1 : 0;
  } finally {
    moto.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

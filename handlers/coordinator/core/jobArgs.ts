/**
 * Arguments the coordinator starts the tier's Glue job with. The Python job reads them with
 * getResolvedOptions(sys.argv, ["manifest_uri", "run_id"]); keep both sides in step.
 */
export const JOB_ARG_MANIFEST = "--manifest_uri";
export const JOB_ARG_RUN_ID = "--run_id";

export function jobArguments(manifestUri: string, runId: string): Record<string, string> {
  return { [JOB_ARG_MANIFEST]: manifestUri, [JOB_ARG_RUN_ID]: runId };
}

/**
 * The coordinator: configuration + model + ports, and one entry point that routes an event to
 * its flow. The Lambda handler, the local demo and the CLI all build one of these.
 */
import { loadTablesYaml, type LakeModel } from "../../model";
import { createClients, type AwsClients } from "./aws/clients";
import type { WriteMode } from "./aws/conditionalWrites";
import { awsPorts } from "./aws/ports";
import { ConfigError, configModelProblems, loadConfig, type CoordinatorConfig } from "./config";
import { parseEvent } from "./core/events";
import type { FlowContext } from "./flows/context";
import { onCrawlerState, type CrawlerEventReport } from "./flows/crawlerEvent";
import { finalizeRun, type FinalizeReport } from "./flows/finalizeRun";
import { startRun, type StartRunReport } from "./flows/startRun";
import { jsonLog } from "./log";
import type { Clock, Log, Ports } from "./ports";

export type CoordinatorReport =
  StartRunReport | FinalizeReport | CrawlerEventReport | { readonly outcome: "rejected"; readonly reason: string };

export interface Coordinator {
  readonly config: CoordinatorConfig;
  readonly model: LakeModel;
  readonly ports: Ports;
  handle(event: unknown): Promise<CoordinatorReport>;
}

export interface CoordinatorOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where a relative TABLES_FILE (and the default tables.yaml) is resolved. */
  readonly bundleDir: string;
  readonly clients?: AwsClients;
  readonly log?: Log;
  readonly clock?: Clock;
  readonly writeMode?: WriteMode;
  /** Replace single ports (tests, the demo). */
  readonly overrides?: Partial<Ports>;
}

export function loadModelFor(config: CoordinatorConfig): LakeModel {
  const model = loadTablesYaml(config.tablesFile);
  const problems = configModelProblems(
    config,
    model.tiers.map((t) => t.name),
    model.domains.map((d) => d.name),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return model;
}

export function createCoordinator(options: CoordinatorOptions): Coordinator {
  const config = loadConfig(options.env, options.bundleDir);
  const model = loadModelFor(config);
  const log = options.log ?? jsonLog({ lake: config.lakeName, environment: config.environment });
  const clients = options.clients ?? createClients({ ...(config.awsEndpointUrl ? { endpoint: config.awsEndpointUrl } : {}) });
  const ports: Ports = {
    ...awsPorts(config, clients, {
      log,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.writeMode ? { writeMode: options.writeMode } : {}),
    }),
    ...options.overrides,
  };
  const ctx: FlowContext = { config, model, ports };
  return {
    config,
    model,
    ports,
    async handle(input: unknown): Promise<CoordinatorReport> {
      const parsed = parseEvent(input);
      if (!parsed.ok) {
        ports.log.error("event.rejected", { reason: parsed.reason });
        return { outcome: "rejected", reason: parsed.reason };
      }
      const event = parsed.event;
      switch (event.kind) {
        case "schedule":
        case "manual":
          return startRun(ctx, event);
        case "jobState":
          return finalizeRun(ctx, event);
        case "crawlerState":
          return onCrawlerState(ctx, event);
      }
    },
  };
}

/**
 * Pulumi entry point: `pulumi up` on a stack (dev, prod) reads tables.yaml through the model
 * and the stack's config, and stands up the lake.
 */
import { runLakeProgram } from "./program";

const lake = runLakeProgram();

export const buckets = lake.buckets;
export const jobs = lake.jobs;
export const databases = lake.databases;
export const crawlers = lake.crawlers;
export const stateTable = lake.stateTable;
export const workgroups = lake.workgroups;
export const analystPolicies = lake.analystPolicies;
export const coordinatorFunction = lake.coordinatorFunction;
export const alertTopicArn = lake.alertTopicArn;
export const sourceConnection = lake.connection;

/**
 * The demo day on PostgreSQL (small data set): the same scenario and checks as the MariaDB day
 * (test/demo/support/day.ts) with the source in a real PostgreSQL (scripts/postgres.sh). Left out
 * to keep CI's wall time low: the baseline (the blueprint's semantics do not depend on the engine;
 * the MariaDB day compares it) and the Spark check after every run (the end's verification of
 * every table is the day's verdict).
 */
import { describeDemoDay } from "./support/day";

describeDemoDay({ engine: "postgresql", database: "erp_demo_pg_test", work: "demo-test-pg", baseline: false, verifyEachRun: false });

/**
 * The demo day on PostgreSQL (small data set): the same scenario and checks as the MariaDB day
 * (test/demo/support/day.ts) with the source in a real PostgreSQL (scripts/postgres.sh). The
 * baseline is left out: it shows the blueprint's semantics, which do not depend on the engine,
 * and would double the wall time.
 */
import { describeDemoDay } from "./support/day";

describeDemoDay({ engine: "postgresql", database: "erp_demo_pg_test", work: "demo-test-pg", baseline: false });

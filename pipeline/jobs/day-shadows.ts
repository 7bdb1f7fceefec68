import type { Database } from '../db.js';
import { quoteIdent } from '../db.js';
import { CANONICAL_TABLES, stagedRows } from '../load/staged-rows.js';
import { createStandIns, dropStandIns, storedSchema } from './stand-ins.js';
import { DERIVED_TABLES, contextProcessReachMinutes, contextReachDays, rowFilterSql } from '../table-registry.js';
import type { Thresholds } from '../../models/thresholds.js';

/**
 * A nightly day is computed before its transaction and only copied in inside it. Inside a
 * transaction DuckDB scans the rows that transaction wrote with one thread and without pushing
 * filters into the scan: every stage after the load read the day's events and scores that way
 * (the 10,000-host context pass: 22-38 s inside, 4.4 s outside). So, before the transaction, the
 * stages run against session-private stand-ins of the same names (DuckDB resolves temp objects
 * first, as retro does for rebuilt baselines): views of the event tables that add the staged rows,
 * and copies of the tables the stages write, holding the stored rows they read. The transaction
 * then loads the staged rows and replaces, in each written table, the rows the day produced.
 *
 * Each written table's record in the table registry says which stored rows its copy starts with
 * (the inputs of the day's stages: the aggregates of the baseline window, the scores and the
 * burst, process and parent -> child baselines of the days its context windows reach back to,
 * contextReachDays), which rows the day publishes, and which stored rows those replace (the same,
 * unless the day only adds: the day's context run replaces the day's earlier nightly runs, so that
 * a rerun holds each alert's report once; other runs stay).
 * Those rows are typed filters relative to the day (RowFilter), rendered with bound values.
 */
const DAY_TABLES = DERIVED_TABLES.map((t) => ({ table: t.name, ...t.nightly }));

/** The day a shadowDay set up: what its tables' row filters are relative to (FilterDay). */
export interface ShadowedDay { day: string; windowDays: number; reachDays: number; processReachMinutes: number }

/**
 * Set up the stand-ins for computing `date` outside a transaction: `windowDays` the baseline's
 * window, `windows` the context windows (how far back the stand-ins keep rows). `staged`: a staged load
 * (stageLoad) whose rows (the load stage's staged_<table> views) the event views add to the stored ones.
 */
export async function shadowDay(db: Database, date: string, windowDays: number, windows: Thresholds['windows'], staged: boolean): Promise<ShadowedDay> {
  if (staged) {
    const stored = await storedSchema(db);
    for (const table of CANONICAL_TABLES) {
      await db.exec(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(table)} AS ${withStagedSql(table, stored)}`);
    }
  }
  const day = { day: date, windowDays, reachDays: contextReachDays(windows), processReachMinutes: contextProcessReachMinutes(windows) };
  await createStandIns(db, DAY_TABLES, { ...day, replacedRuns: [] });
  return day;
}

/** A stored table's rows and the staged load's rows of it (the load stage's view of them). */
function withStagedSql(table: (typeof CANONICAL_TABLES)[number], stored: string): string {
  return `
    SELECT * FROM ${stored}.${quoteIdent(table)}
    UNION ALL BY NAME
    SELECT * FROM ${quoteIdent(stagedRows(table))}`;
}

/**
 * The day's Sigma alerts (temp table sigma_alerts, nightly's detect stage) join the alerts the
 * context stage reads: the alerts view becomes the stored (and staged) alerts and those not
 * stored yet. The transaction stores them (pipeline/sigma/detect-day.ts).
 */
export async function showSigmaAlerts(db: Database, staged: boolean): Promise<void> {
  const stored = await storedSchema(db);
  const base = staged ? withStagedSql('alerts', stored) : `SELECT * FROM ${stored}.alerts`;
  await db.exec(`
    CREATE OR REPLACE TEMP VIEW alerts AS
    WITH base AS (${base})
    SELECT * FROM base UNION ALL BY NAME SELECT * FROM sigma_alerts WHERE alert_id NOT IN (SELECT alert_id FROM base)`);
}

/** Drop the event views: from here on the event tables are the stored ones again (the load commits into them). */
export async function dropEventViews(db: Database): Promise<void> {
  for (const table of CANONICAL_TABLES) await db.exec(`DROP VIEW IF EXISTS temp.main.${quoteIdent(table)}`);
}

/** Inside the day's transaction: replace each written table's rows of the day by the computed ones. */
export async function publishDay(db: Database, shadowed: ShadowedDay): Promise<void> {
  const stored = await storedSchema(db);
  const runs = await db.all<{ run_id: number }>(
    `SELECT run_id FROM ${stored}.context_runs WHERE kind = 'nightly' AND period_from = $1::DATE AND period_to = $1::DATE ORDER BY run_id`,
    [shadowed.day],
  );
  const on = { ...shadowed, replacedRuns: runs.map((r) => r.run_id) };
  for (const { table, publish, replace = publish } of DAY_TABLES) {
    const replaced = rowFilterSql(replace, on);
    await db.run(`DELETE FROM ${stored}.${quoteIdent(table)} WHERE ${replaced.sql}`, replaced.values);
    const published = rowFilterSql(publish, on);
    await db.run(`INSERT INTO ${stored}.${quoteIdent(table)} SELECT * FROM temp.main.${quoteIdent(table)} WHERE ${published.sql}`, published.values);
  }
}

/** Drop every stand-in: the stored tables show through again. */
export async function dropDayShadows(db: Database): Promise<void> {
  await dropEventViews(db);
  await dropStandIns(db, DAY_TABLES.map((t) => t.table));
}

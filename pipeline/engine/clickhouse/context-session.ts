import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Thresholds } from '../../../models/thresholds.js';
import { scoreDays } from '../../baseline/build-baselines.js';
import { makeContextReports } from '../../context/make-reports.js';
import type { ContextRunResult } from '../../context/make-reports.js';
import { addDays } from '../../dates.js';
import { Database } from '../../db.js';
import type { ClickHouseCluster } from './cluster.js';
import { chIdent } from './cluster-names.js';

/**
 * What each alert's context needs, read from the cluster: the alert hosts' events and daily minute
 * histograms, and the baseline rows of the span's days for those hosts, their templates, and the
 * fleet-wide process, pair and logon baselines (all of the span's rows: the fleet's names, not
 * its hosts). `hosts` is ac_hosts (the alerts' hosts), `templates`
 * ac_templates; GLOBAL IN ships them from the coordinator's session to the shards. Each query
 * reads a Distributed table; its rows become the DuckDB table of the same name (times from
 * microseconds).
 */
const PULLS: { table: string; where: string; duck: string }[] = [
  {
    table: 'process_events', where: 'host GLOBAL IN (SELECT host FROM ac_hosts) AND day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)',
    duck: 'SELECT * EXCLUDE (day, ts_us), make_timestamp(ts_us) AS ts',
  },
  {
    table: 'logon_events', where: 'host GLOBAL IN (SELECT host FROM ac_hosts) AND day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)',
    duck: 'SELECT * EXCLUDE (day, ts_us), make_timestamp(ts_us) AS ts',
  },
  {
    // Each host's active days behind the span's baselines (process_rarity's host history).
    table: 'agg_minute_daily', where: `host GLOBAL IN (SELECT host FROM ac_hosts) AND day >= (SELECT day_from FROM ac_params) - (SELECT window_days FROM ac_params)
            AND day <= (SELECT day_to FROM ac_params)`,
    duck: 'SELECT *',
  },
  { table: 'baseline_runs', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)', duck: 'SELECT *' },
  {
    table: 'baseline_template', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params) AND template GLOBAL IN (SELECT template FROM ac_templates)',
    duck: 'SELECT * EXCLUDE (first_seen_us), make_timestamp(first_seen_us) AS first_seen',
  },
  {
    table: 'baseline_host_template', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params) AND host GLOBAL IN (SELECT host FROM ac_hosts)',
    duck: 'SELECT * EXCLUDE (first_seen_us), make_timestamp(first_seen_us) AS first_seen',
  },
  { table: 'baseline_process', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)', duck: 'SELECT *' },
  { table: 'baseline_parent_child', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)', duck: 'SELECT *' },
  { table: 'baseline_logon', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)', duck: 'SELECT *' },
  {
    table: 'baseline_host_logon', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params) AND host GLOBAL IN (SELECT host FROM ac_hosts)',
    duck: 'SELECT *',
  },
  {
    table: 'baseline_host_burst', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params) AND host GLOBAL IN (SELECT host FROM ac_hosts)',
    duck: 'SELECT *',
  },
];

/** The days before `day` an alert's windows reach back to (the longest "before" window). */
export function spanDays(t: Thresholds): number {
  return Math.ceil(Math.max(t.windows.process_before_minutes, t.windows.rdp_before_minutes) / 1440);
}

export interface ClusterContext { session: Database; result: ContextRunResult }

/**
 * The scores and context reports of the alerts of `day`, on a cluster: the alerts' hosts' events
 * and the baseline rows they need are pulled into a fresh in-memory DuckDB (small: per alert
 * host, not per fleet), where today's scoring and context SQL run unchanged. `alerts` is where
 * the alerts are (DuckDB's warehouse: alerts stay there, telemetry goes to the cluster).
 * The caller closes the returned session.
 */
export async function contextOnCluster(c: ClickHouseCluster, alerts: Database, day: string, t: Thresholds, kind = 'nightly'): Promise<ClusterContext> {
  const from = addDays(day, -spanDays(t));
  const session = await Database.open(':memory:');
  const dir = mkdtempSync(join(tmpdir(), 'ac-ch-context-'));
  try {
    const alertFile = join(dir, 'alerts.parquet');
    await alerts.run('COPY (SELECT * FROM alerts WHERE ts >= $2::DATE AND ts < $2::DATE + 1) TO $1 (FORMAT PARQUET)', [alertFile, day]);
    await session.run('INSERT INTO alerts BY NAME SELECT * FROM read_parquet($1)', [alertFile]);
    const hosts = await session.all<{ host: string }>('SELECT DISTINCT host FROM alerts WHERE host IS NOT NULL ORDER BY host');

    await c.setParams({ from, to: day, window_days: t.baseline.window_days });
    await c.commandOnShard(0, 'DROP TEMPORARY TABLE IF EXISTS ac_hosts', 'ac_hosts');
    await c.commandOnShard(0, 'CREATE TEMPORARY TABLE ac_hosts (host String) ENGINE = Memory', 'ac_hosts');
    await c.insert('ac_hosts', hosts);
    await c.commandOnShard(0, 'DROP TEMPORARY TABLE IF EXISTS ac_templates', 'ac_templates');
    await c.commandOnShard(0, 'CREATE TEMPORARY TABLE ac_templates (template String) ENGINE = Memory', 'ac_templates');
    await c.commandOnShard(0, `INSERT INTO ac_templates SELECT DISTINCT template FROM agg_template_daily
      WHERE host GLOBAL IN (SELECT host FROM ac_hosts) AND day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)`, 'ac_templates');

    for (const p of PULLS) {
      const file = join(dir, `${p.table}.ndjson`);
      await c.queryToFile(`SELECT * FROM ${chIdent(p.table)} WHERE ${p.where}`, file);
      if (statSync(file).size === 0) continue;
      await session.run(`INSERT INTO ${p.table} BY NAME ${p.duck} FROM read_json($1, format = 'newline_delimited')`, [file]);
    }
    // Score the span (the scores of its earlier days are what the windows that reach back read),
    // then the day's reports: the DuckDB SQL of a one-machine nightly, on the pulled rows.
    await scoreDays(session, from, day, t);
    const result = await makeContextReports(session, day, day, t, kind);
    return { session, result };
  } catch (e) {
    session.close();
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

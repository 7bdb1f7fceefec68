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
import { contextReachDays } from '../../table-registry.js';

/**
 * What each alert's context needs, read from the cluster: the alert hosts' events and daily minute
 * histograms, and the baseline rows of the span's days for those hosts, their templates, their
 * logons' (user, source) pairs, and the fleet-wide process and parent-child baselines (all of the
 * span's rows: the fleet's names, not its hosts). The hosts are ac_hosts (the alerts' hosts), the
 * keys PULL_KEYS' tables; GLOBAL IN ships them from the coordinator's session to the shards. Each query
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
  {
    // Only the (user, source) pairs the alert hosts' logons of the span have: the fleet's pairs grow with the fleet.
    table: 'baseline_logon', where: `as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
            AND (user_name, source) GLOBAL IN (SELECT user_name, source FROM ac_logon_pairs)`,
    duck: 'SELECT *',
  },
  {
    table: 'baseline_host_logon', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params) AND host GLOBAL IN (SELECT host FROM ac_hosts)',
    duck: 'SELECT *',
  },
  {
    table: 'baseline_host_burst', where: 'as_of BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params) AND host GLOBAL IN (SELECT host FROM ac_hosts)',
    duck: 'SELECT *',
  },
];

export interface PullOptions {
  /** The database the baseline tables are read from (default: the cluster's; a retro's private rebuild: pit-baselines.ts). */
  baselineDatabase?: string;
  /** The first day scored in the session (default: the span's first day, as nightly has scored it). */
  scoreFrom?: string;
}

/** The alerts of [from, to] and the labels from the warehouse into the session; the alerts' hosts. */
async function copyAlerts(alerts: Database, session: Database, dir: string, from: string, to: string): Promise<{ host: string }[]> {
  const alertFile = join(dir, 'alerts.parquet');
  const labelFile = join(dir, 'labels.parquet');
  await alerts.run('COPY (SELECT * FROM alerts WHERE ts >= $2::DATE AND ts < $3::DATE + 1) TO $1 (FORMAT PARQUET)', [alertFile, from, to]);
  await alerts.run('COPY (SELECT * FROM labels) TO $1 (FORMAT PARQUET)', [labelFile]);
  await session.run('INSERT INTO alerts BY NAME SELECT * FROM read_parquet($1)', [alertFile]);
  await session.run('INSERT INTO labels BY NAME SELECT * FROM read_parquet($1)', [labelFile]);
  return session.all<{ host: string }>('SELECT DISTINCT host FROM alerts WHERE host IS NOT NULL ORDER BY host');
}

/** The span's keys of the alert hosts, from their daily aggregates, that the fleet baselines are pulled by. */
const PULL_KEYS: { table: string; columns: string; from: string }[] = [
  { table: 'ac_templates', columns: 'template String', from: 'SELECT DISTINCT template FROM agg_template_daily' },
  { table: 'ac_logon_pairs', columns: 'user_name String, source String', from: 'SELECT DISTINCT user_name, source FROM agg_logon_daily' },
];

/** ac_hosts (the alert hosts) and PULL_KEYS' tables in the coordinator's session. */
async function setPullLists(c: ClickHouseCluster, hosts: { host: string }[]): Promise<void> {
  await c.commandOnShard(0, 'DROP TEMPORARY TABLE IF EXISTS ac_hosts', 'ac_hosts');
  await c.commandOnShard(0, 'CREATE TEMPORARY TABLE ac_hosts (host String) ENGINE = Memory', 'ac_hosts');
  await c.insert('ac_hosts', hosts);
  for (const k of PULL_KEYS) {
    await c.commandOnShard(0, `DROP TEMPORARY TABLE IF EXISTS ${k.table}`, k.table);
    await c.commandOnShard(0, `CREATE TEMPORARY TABLE ${k.table} (${k.columns}) ENGINE = Memory`, k.table);
    await c.commandOnShard(0, `INSERT INTO ${k.table} ${k.from}
      WHERE host GLOBAL IN (SELECT host FROM ac_hosts) AND day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)`, k.table);
  }
}

/**
 * A fresh in-memory DuckDB holding what the context of the alerts of [from, to] needs, scored:
 * the alerts (and labels) from `alerts` (the warehouse), the alert hosts' events and baseline rows
 * from the cluster over the span the windows reach back to, then DuckDB's scoring SQL over it
 * (small: per alert host, not per fleet). Nightly, retro and tune run their context SQL on it
 * unchanged. The caller closes it.
 */
export async function pullSession(c: ClickHouseCluster, alerts: Database, from: string, to: string, t: Thresholds, opts: PullOptions = {}): Promise<Database> {
  const spanFrom = addDays(from, -contextReachDays(t.windows));
  const session = await Database.open(':memory:');
  const dir = mkdtempSync(join(tmpdir(), 'ac-ch-context-'));
  try {
    const hosts = await copyAlerts(alerts, session, dir, from, to);
    await c.setParams({ from: spanFrom, to, window_days: t.baseline.window_days });
    await setPullLists(c, hosts);
    for (const p of PULLS) {
      const file = join(dir, `${p.table}.ndjson`);
      const db = p.table.startsWith('baseline_') && opts.baselineDatabase ? `${chIdent(opts.baselineDatabase)}.` : '';
      await c.queryToFile(`SELECT * FROM ${db}${chIdent(p.table)} WHERE ${p.where}`, file);
      if (statSync(file).size === 0) continue;
      await session.run(`INSERT INTO ${p.table} BY NAME ${p.duck} FROM read_json($1, format = 'newline_delimited')`, [file]);
    }
    // Score the span (the scores of its earlier days are what the windows that reach back read):
    // the DuckDB SQL of a one-machine nightly, on the pulled rows.
    await scoreDays(session, opts.scoreFrom ?? spanFrom, to, t);
    return session;
  } catch (e) {
    session.close();
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ClusterContext { session: Database; result: ContextRunResult }

/**
 * The scores and context reports of the alerts of `day`, on a cluster (pullSession, then today's
 * context SQL). The caller closes the returned session.
 */
export async function contextOnCluster(c: ClickHouseCluster, alerts: Database, day: string, t: Thresholds, kind = 'nightly'): Promise<ClusterContext> {
  const session = await pullSession(c, alerts, day, day, t);
  try {
    return { session, result: await makeContextReports(session, day, day, t, kind) };
  } catch (e) {
    session.close();
    throw e;
  }
}

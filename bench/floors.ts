// The floors the stages are measured against (bench/run-bench.ts, and the two scripts beside it).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { makeContextReports } from '../pipeline/context/make-reports.js';
import { configureDatabases, withDatabase } from '../pipeline/db.js';

/** The floor of a nightly day: DuckDB alone reading the day's process events with one GROUP BY on command_line. */
export async function groupByFloor(file: string): Promise<{ seconds: number; events: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const t = performance.now();
  const r = (await c.runAndReadAll('SELECT sum(n) AS events FROM (SELECT command_line, count(*) AS n FROM read_parquet($1) GROUP BY command_line)', [file])).getRowObjectsJS()[0]!;
  const seconds = (performance.now() - t) / 1000;
  c.closeSync();
  instance.closeSync();
  return { seconds: +seconds.toFixed(3), events: Number(r['events']) };
}

/**
 * A second reference for the nightly day: DuckDB alone storing the day's process events, as they
 * are, in a table of a database file, committed and checkpointed (the least any durable load does).
 */
export async function storeFloor(file: string, dir: string): Promise<{ seconds: number }> {
  const path = join(dir, 'store-floor.duckdb');
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  const t = performance.now();
  await c.run('CREATE TABLE process_events AS SELECT * FROM read_parquet($1)', [file]);
  await c.run('CHECKPOINT');
  const seconds = (performance.now() - t) / 1000;
  c.closeSync();
  instance.closeSync();
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
  return { seconds: +seconds.toFixed(3) };
}

/** DuckDB's own reader for a file, by its extension (the floor of loading it). */
function readerFor(file: string): string {
  if (/\.parquet$/i.test(file)) return 'read_parquet';
  if (/\.csv$/i.test(file)) return 'read_csv';
  return 'read_json';
}

/**
 * The floor of a load: DuckDB alone storing the same files, each with its own reader (read_json,
 * read_csv, read_parquet) as it infers them, one table per file, committed and checkpointed.
 */
export async function loadFloor(files: string[], dir: string): Promise<{ seconds: number; readers: string[] }> {
  const path = join(dir, 'load-floor.duckdb');
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  const t = performance.now();
  for (const [i, file] of files.entries()) await c.run(`CREATE TABLE t${i} AS SELECT * FROM ${readerFor(file)}($1)`, [file]);
  await c.run('CHECKPOINT');
  const seconds = (performance.now() - t) / 1000;
  c.closeSync();
  instance.closeSync();
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
  return { seconds: +seconds.toFixed(3), readers: [...new Set(files.map(readerFor))] };
}

/**
 * Context for every alert of [from, to] set-based, against the same logic as one query per alert.
 * `sample`: time the per-alert queries on every k-th alert only (at most `sample` of them) and
 * extrapolate to all alerts by their mean (at 1,000 hosts each takes about a second); the reports
 * of the sampled alerts are checked against the set-based run's.
 */
export async function perAlertFloor(db: string, from: string, to: string, sample?: number): Promise<Record<string, unknown>> {
  // The floor gets room: 716 stored runs in one process went past a 2 GB limit on a 17 M-event database.
  configureDatabases({ memoryLimit: '8GB' });
  return withDatabase(db, async (d) => {
    const alerts = await d.all<{ alert_id: string }>('SELECT alert_id FROM alerts WHERE ts >= $1::TIMESTAMP AND ts < $2::DATE + 1 ORDER BY alert_id', [from, to]);
    const step = sample && sample < alerts.length ? Math.ceil(alerts.length / sample) : 1;
    const timed = alerts.filter((_, i) => i % step === 0);
    // The set-based pass twice: first in a fresh process (DuckDB reads the span's columns from the
    // file), then again with them in its buffers, as the per-alert loop below has them after its
    // first alerts: like is compared with like, and both are reported.
    let t = performance.now();
    await d.transaction(() => makeContextReports(d, from, to, DEFAULT_THRESHOLDS, 'bench-set'));
    const coldSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const set = await d.transaction(() => makeContextReports(d, from, to, DEFAULT_THRESHOLDS, 'bench-set'));
    const setSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const runs: number[] = [];
    // One stored run per alert, each its own transaction (as a scheduler calling per alert would).
    for (const a of timed) runs.push((await d.transaction(() => makeContextReports(d, from, to, DEFAULT_THRESHOLDS, 'bench-per-alert', a.alert_id))).runId);
    const timedSeconds = (performance.now() - t) / 1000;
    const perAlertSeconds = (timedSeconds / timed.length) * alerts.length;
    const same = await d.one<{ a: string; b: string }>(
      `SELECT (SELECT string_agg(alert_id || context_event_activity, '|' ORDER BY alert_id) FROM context_reports
               WHERE run_id = $1 AND list_contains($3, alert_id)) AS a,
              (SELECT string_agg(alert_id || context_event_activity, '|' ORDER BY alert_id) FROM context_reports WHERE list_contains($2::BIGINT[], run_id)) AS b`,
      [set.runId, `[${runs.join(',')}]`, listValue(timed.map((a) => a.alert_id))]);
    return {
      alerts: alerts.length, reports: set.reports, per_alert_timed: timed.length, same_reports: same.a === same.b,
      set_based_seconds: +setSeconds.toFixed(2), set_based_cold_seconds: +coldSeconds.toFixed(2), per_alert_seconds: +perAlertSeconds.toFixed(2),
      per_alert_mean_seconds: +(timedSeconds / timed.length).toFixed(3), ratio: +(perAlertSeconds / setSeconds).toFixed(1),
      ratio_cold: +(perAlertSeconds / coldSeconds).toFixed(1),
    };
  });
}

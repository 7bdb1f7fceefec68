import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Thresholds } from '../../models/thresholds.js';
import { makeContextReports } from '../context/make-reports.js';
import { readReports } from '../context/read-reports.js';
import { writeReports } from '../context/write-reports.js';
import type { Database } from '../db.js';
import { withCleanup } from '../db.js';
import { GROUP_ORDER, computeMetrics, isLabeled, metricInputsFromKept } from '../metrics/context-metrics.js';
import type { MetricRow } from '../metrics/context-metrics.js';
import { writeTableFiles } from '../metrics/write-table-files.js';
import { codeVersion } from '../version.js';
import { dropShadows, pointInTimeBaselines } from '../point-in-time/baselines.js';
import type { BaselineSource } from '../point-in-time/baselines.js';
import { checkScored } from '../point-in-time/check-scored.js';

export interface RetroOptions {
  from: string;
  to: string;
  thresholds: Thresholds;
  /** The --config file the thresholds came from (recorded with the run); undefined: the defaults. */
  configSource?: string;
  /** Write reports.ndjson, metrics.json and metrics.csv|parquet|arrow here. */
  out?: string;
  /** The baselines are in place already (a cluster's pulled session: engine/clickhouse/retro-tune.ts), made as this says. */
  baselines?: BaselineSource;
}

export interface RetroRun {
  run_id: number;
  period_from: string;
  period_to: string;
  config: Thresholds;
  config_hash: string;
  config_source: string | null;
  code_version: string;
  baselines: BaselineSource;
  alerts: number;
  reports: number;
  labeled: boolean;
}

export interface RetroResult {
  run: RetroRun;
  metrics: MetricRow[];
  files: string[];
}

/** A config's identity: sha256 of its canonical JSON (keys sorted), 16 hex digits. */
export function configHash(t: Thresholds): string {
  return createHash('sha256').update(canonicalJson(t)).digest('hex').slice(0, 16);
}

function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Re-run context generation for every alert of [from, to] with point-in-time baselines, as a
 * stored run (context_runs kind 'retro', retro_runs, retro_metrics), in one transaction.
 */
export async function runRetro(db: Database, opts: RetroOptions): Promise<RetroResult> {
  const { from, to } = opts;
  await checkScored(db, from, to);
  const t = opts.thresholds;
  const { run, metrics } = await db.transaction(async () => withCleanup(async () => {
    const baselines = opts.baselines ?? await pointInTimeBaselines(db, from, to, t);
    const context = await makeContextReports(db, from, to, t, 'retro');
    await metricInputsFromKept(db, from, to);
    const metrics = await computeMetrics(db);
    const run: RetroRun = {
      run_id: context.runId, period_from: from, period_to: to, config: t, config_hash: configHash(t),
      config_source: opts.configSource ?? null, code_version: codeVersion(), baselines,
      alerts: context.alerts, reports: context.reports, labeled: isLabeled(metrics),
    };
    await db.run(
      `INSERT INTO retro_runs VALUES ($1, now()::TIMESTAMP, $2::DATE, $3::DATE, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [run.run_id, from, to, canonicalJson(t), run.config_hash, run.config_source, run.code_version, baselines, run.alerts, run.reports, run.labeled],
    );
    await db.run(
      `INSERT INTO retro_metrics SELECT $1, group_by, group_value, metric, k, n, value, low, high FROM context_metrics WHERE point_id = 0`,
      [run.run_id],
    );
    return { run, metrics };
  }, () => dropShadows(db)));
  const files = opts.out ? await writeRetroOutputs(db, run, metrics, opts.out) : [];
  return { run, metrics, files };
}

/** OUT/reports.ndjson (+ SIEM records and readable views), OUT/metrics.json, OUT/metrics.csv|parquet|arrow. */
export async function writeRetroOutputs(db: Database, run: RetroRun, metrics: MetricRow[], out: string): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const reports = await readReports(db, run.run_id);
  writeReports(out, reports);
  const json = join(out, 'metrics.json');
  writeFileSync(json, `${JSON.stringify({ run, metrics: metrics.map(({ point_id: _p, ...m }) => m) }, null, 2)}\n`);
  const tables = await writeTableFiles(db, out, 'metrics', {
    table: 'retro_metrics', columns: ['run_id', 'group_by', 'group_value', 'metric', 'k', 'n', 'value', 'low', 'high'],
    where: { column: 'run_id', equals: run.run_id },
    orderBy: [{ column: 'group_by', ranks: GROUP_ORDER }, 'group_value', 'metric'],
  });
  return [join(out, 'reports.ndjson'), json, ...tables];
}

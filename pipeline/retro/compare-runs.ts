import type { Database } from '../db.js';
import { UserError } from '../errors.js';
import { listValue } from '@duckdb/node-api';
import { GROUP_ORDER, METRIC_ORDER } from '../metrics/context-metrics.js';
import type { MetricRow } from '../metrics/context-metrics.js';

export interface StoredRetroRun {
  run_id: number; created_at: string; period_from: string; period_to: string; config: string; config_hash: string;
  config_source: string | null; code_version: string; baselines: string; alerts: number; reports: number; labeled: boolean;
}

export interface ComparedFigure {
  group_by: string; group_value: string; metric: string;
  a: MetricRow | null; b: MetricRow | null;
  /** b - a, when both have a value. */
  delta: number | null;
}

export interface RetroComparison {
  a: StoredRetroRun;
  b: StoredRetroRun;
  /** Thresholds that differ, by dotted key. */
  configChanges: { key: string; a: unknown; b: unknown }[];
  figures: ComparedFigure[];
}

function flatten(v: unknown, prefix = ''): Record<string, unknown> {
  if (v === null || typeof v !== 'object') return { [prefix]: v };
  return Object.assign({}, ...Object.entries(v as Record<string, unknown>).map(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k)));
}

async function storedRun(db: Database, runId: number): Promise<StoredRetroRun> {
  const rows = await db.all<StoredRetroRun>(
    `SELECT run_id, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at, strftime(period_from, '%Y-%m-%d') AS period_from,
            strftime(period_to, '%Y-%m-%d') AS period_to, config, config_hash, config_source, code_version, baselines, alerts, reports, labeled
     FROM retro_runs WHERE run_id = $1`,
    [runId],
  );
  if (rows.length === 0) {
    const known = await db.all<{ run_id: number }>('SELECT run_id FROM retro_runs ORDER BY run_id DESC LIMIT 10');
    throw new UserError(`no retro run ${runId} in ${db.path} (recent retro runs: ${known.map((k) => k.run_id).join(', ') || 'none'})`);
  }
  return rows[0]!;
}

/** Two stored retro runs side by side: what changed in the config, and every figure of both. */
export async function compareRetroRuns(db: Database, runA: number, runB: number): Promise<RetroComparison> {
  const a = await storedRun(db, runA);
  const b = await storedRun(db, runB);
  const ca = flatten(JSON.parse(a.config));
  const cb = flatten(JSON.parse(b.config));
  const configChanges = [...new Set([...Object.keys(ca), ...Object.keys(cb)])].sort()
    .filter((k) => JSON.stringify(ca[k]) !== JSON.stringify(cb[k]))
    .map((key) => ({ key, a: ca[key], b: cb[key] }));
  const rows = await db.all<Record<string, unknown>>(
    `WITH a AS (SELECT * FROM retro_metrics WHERE run_id = $1), b AS (SELECT * FROM retro_metrics WHERE run_id = $2)
     SELECT coalesce(a.group_by, b.group_by) AS group_by, coalesce(a.group_value, b.group_value) AS group_value,
            coalesce(a.metric, b.metric) AS metric,
            a.k AS a_k, a.n AS a_n, a.value AS a_value, a.low AS a_low, a.high AS a_high,
            b.k AS b_k, b.n AS b_n, b.value AS b_value, b.low AS b_low, b.high AS b_high,
            b.value - a.value AS delta
     FROM a FULL OUTER JOIN b USING (group_by, group_value, metric)
     ORDER BY list_position($4::VARCHAR[], coalesce(a.group_by, b.group_by)), 2,
              list_position($3::VARCHAR[], coalesce(a.metric, b.metric))`,
    [runA, runB, listValue([...METRIC_ORDER]), listValue([...GROUP_ORDER])],
  );
  const side = (r: Record<string, unknown>, p: 'a' | 'b', runId: number): MetricRow | null =>
    r[`${p}_k`] === null ? null : {
      point_id: runId, group_by: String(r['group_by']), group_value: String(r['group_value']), metric: String(r['metric']),
      k: Number(r[`${p}_k`]), n: r[`${p}_n`] as number | null, value: r[`${p}_value`] as number | null,
      low: r[`${p}_low`] as number | null, high: r[`${p}_high`] as number | null,
    };
  const figures = rows.map((r) => ({
    group_by: String(r['group_by']), group_value: String(r['group_value']), metric: String(r['metric']),
    a: side(r, 'a', runA), b: side(r, 'b', runB), delta: r['delta'] as number | null,
  }));
  return { a, b, configChanges, figures };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Thresholds } from '../../models/thresholds.js';
import { CHART_CONFIG, renderSvg } from '../charts/render-svg.js';
import type { Database } from '../db.js';
import { UserError } from '../errors.js';
import { computeMetrics } from '../metrics/context-metrics.js';
import type { MetricRow } from '../metrics/context-metrics.js';
import { writeTableFiles } from '../metrics/write-table-files.js';
import { dropShadows, pointInTimeBaselines } from '../point-in-time/baselines.js';
import { checkScored } from '../point-in-time/check-scored.js';
import { expandGrid } from './grid.js';
import type { GridAxis, GridPoint } from './grid.js';
import { DEFAULT_OBJECTIVE } from './objective.js';
import { sweepPoints } from './sweep-points.js';
import type { Objective } from './objective.js';

export { DEFAULT_OBJECTIVE } from './objective.js';
export type { Objective } from './objective.js';

export interface Figure { value: number | null; low: number | null; high: number | null; k: number; n: number | null }

export interface TunePointResult {
  point_id: number;
  params: Record<string, number>;
  item_precision: Figure;
  attack_recall: Figure;
  benign_report_rate: Figure;
  coverage: Figure;
  items_per_report: Figure;
  meets_objective: boolean;
}

export interface TuneResult {
  from: string;
  to: string;
  axes: GridAxis[];
  objective: Objective;
  points: TunePointResult[];
  /** The point that best meets the objective; null when none does. */
  best: TunePointResult | null;
  /** Why `best` was chosen (or why none was). */
  verdict: string;
  /** How many passes the points were assembled in (as many at a time as the memory limit allows). */
  chunks: number;
  files: string[];
}

const EMPTY: Figure = { value: null, low: null, high: null, k: 0, n: null };

/**
 * Choose the best point: among those meeting the objective (point estimates), the highest attack
 * recall; ties go to higher item precision, then lower benign report rate, then fewer items per
 * report, then the lower point id.
 */
export function choosePoint(points: readonly TunePointResult[], objective: Objective): { best: TunePointResult | null; verdict: string } {
  const v = (f: Figure, missing: number) => f.value ?? missing;
  const meeting = points.filter((p) => p.meets_objective);
  const ranked = [...meeting].sort((a, b) =>
    v(b.attack_recall, 0) - v(a.attack_recall, 0) || v(b.item_precision, 0) - v(a.item_precision, 0)
    || v(a.benign_report_rate, 1) - v(b.benign_report_rate, 1) || v(a.items_per_report, 0) - v(b.items_per_report, 0) || a.point_id - b.point_id);
  const goal = `highest attack recall with item precision >= ${objective.minItemPrecision} and benign report rate <= ${objective.maxBenignReportRate}`;
  const best = ranked[0] ?? null;
  if (!best) return { best: null, verdict: `no point of ${points.length} meets the objective (${goal})` };
  return { best, verdict: `point ${best.point_id} of ${points.length} (${meeting.length} meet the objective: ${goal})` };
}

export function meetsObjective(p: Pick<TunePointResult, 'item_precision' | 'benign_report_rate'>, o: Objective): boolean {
  return p.item_precision.value !== null && p.item_precision.value >= o.minItemPrecision
    && p.benign_report_rate.value !== null && p.benign_report_rate.value <= o.maxBenignReportRate;
}

/**
 * Sweep thresholds over [from, to]: the events are scored once (nightly's features, or a private
 * rebuild for another window), then the grid points are judged, assembled and measured a chunk of
 * points at a time in one set-based pass each (threshold_points, sweep-points.ts), never one context
 * run per point.
 */
export async function runTune(db: Database, opts: { from: string; to: string; base: Thresholds; axes: GridAxis[]; objective?: Objective; out?: string; candidatesPerChunk?: number }): Promise<TuneResult> {
  const { from, to } = opts;
  await checkScored(db, from, to);
  const objective = opts.objective ?? DEFAULT_OBJECTIVE;
  const grid = expandGrid(opts.base, opts.axes);
  let metrics: MetricRow[];
  let chunks: number;
  try {
    await pointInTimeBaselines(db, from, to, opts.base);
    // A few points at a time: a 50-point sweep's items at once would not fit in memory.
    ({ chunks } = await sweepPoints(db, from, to, grid, opts.candidatesPerChunk));
    metrics = await computeMetrics(db);
  } finally {
    await dropShadows(db);
  }
  if (!metrics.some((m) => m.metric === 'item_precision')) {
    throw new UserError(`tune ${from}..${to}: the period's alerts carry no labels; tune measures precision and recall against labels (load labels, or use retro for the unlabeled figures)`);
  }
  const points = grid.map((g) => pointResult(g, metrics, objective));
  const { best, verdict } = choosePoint(points, objective);
  const result: TuneResult = { from, to, axes: opts.axes, objective, points, best, verdict, chunks, files: [] };
  if (opts.out) result.files = await writeTuneOutputs(db, result, opts.out);
  return result;
}

function pointResult(g: GridPoint, metrics: readonly MetricRow[], objective: Objective): TunePointResult {
  const f = (metric: string): Figure => {
    const r = metrics.find((m) => m.point_id === g.pointId && m.group_by === 'overall' && m.metric === metric);
    return r ? { value: r.value, low: r.low, high: r.high, k: r.k, n: r.n } : EMPTY;
  };
  const p = {
    point_id: g.pointId, params: g.params, item_precision: f('item_precision'), attack_recall: f('attack_recall'),
    benign_report_rate: f('benign_report_rate'), coverage: f('coverage'), items_per_report: f('items_per_report'),
  };
  return { ...p, meets_objective: meetsObjective(p, objective) };
}

/** OUT/tune.csv|parquet|arrow (one row per point), OUT/tune.json, OUT/tune.svg (precision against recall). */
async function writeTuneOutputs(db: Database, r: TuneResult, out: string): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const rows = r.points.map((p) => ({
    point_id: p.point_id, ...p.params,
    item_precision: p.item_precision.value, item_precision_low: p.item_precision.low, item_precision_high: p.item_precision.high,
    attack_recall: p.attack_recall.value, attack_recall_low: p.attack_recall.low, attack_recall_high: p.attack_recall.high,
    benign_report_rate: p.benign_report_rate.value, benign_report_rate_low: p.benign_report_rate.low, benign_report_rate_high: p.benign_report_rate.high,
    coverage: p.coverage.value, coverage_low: p.coverage.low, coverage_high: p.coverage.high,
    items_per_report: p.items_per_report.value, meets_objective: p.meets_objective, best: p.point_id === r.best?.point_id,
  }));
  // One typed row per point; the structure names each column's type (the swept keys are columns).
  const structure = Object.fromEntries(Object.keys(rows[0] ?? {}).map((k) => [k, k === 'point_id' ? 'INTEGER' : k === 'meets_objective' || k === 'best' ? 'BOOLEAN' : 'DOUBLE']));
  await db.run('CREATE OR REPLACE TEMP TABLE tune_points AS SELECT unnest(from_json($1, $2), recursive := true)', [JSON.stringify(rows), JSON.stringify([structure])]);
  const tables = await writeTableFiles(db, out, 'tune', { table: 'tune_points', orderBy: ['point_id'] });
  const json = join(out, 'tune.json');
  writeFileSync(json, `${JSON.stringify({ from: r.from, to: r.to, axes: r.axes, objective: r.objective, verdict: r.verdict, best: r.best, points: r.points }, null, 2)}\n`);
  const svg = join(out, 'tune.svg');
  writeFileSync(svg, await tuneChart(r));
  return [json, svg, ...tables];
}

/** Item precision against attack recall, one mark per grid point, the chosen one ringed and labeled. */
export async function tuneChart(r: TuneResult): Promise<string> {
  const values = r.points.filter((p) => p.item_precision.value !== null && p.attack_recall.value !== null).map((p) => ({
    point: p.point_id, recall: p.attack_recall.value, precision: p.item_precision.value, benign: p.benign_report_rate.value,
    objective: p.meets_objective ? 'meets the objective' : 'misses it', best: p.point_id === r.best?.point_id ? `best: point ${p.point_id}` : '',
    params: Object.entries(p.params).map(([k, v]) => `${k}=${v}`).join(' '),
  }));
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Tune ${r.from}..${r.to}: item precision against attack recall, ${r.points.length} grid points`,
    width: 520, height: 360, config: CHART_CONFIG,
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: r.objective.minItemPrecision } } },
      {
        mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
        encoding: {
          x: { field: 'recall', type: 'quantitative', title: 'attack recall', scale: { domain: [0, 1] } },
          y: { field: 'precision', type: 'quantitative', title: 'item precision', scale: { domain: [0, 1] } },
          color: { field: 'benign', type: 'quantitative', title: 'benign report rate', scale: { scheme: 'orangered' } },
          shape: { field: 'objective', type: 'nominal', title: null },
          tooltip: [{ field: 'point' }, { field: 'params' }, { field: 'precision', format: '.2f' }, { field: 'recall', format: '.2f' }, { field: 'benign', format: '.2f' }],
        },
      },
      {
        transform: [{ filter: "datum.best != ''" }],
        mark: { type: 'point', size: 320, strokeWidth: 2, color: 'black' },
        encoding: { x: { field: 'recall', type: 'quantitative' }, y: { field: 'precision', type: 'quantitative' } },
      },
      {
        transform: [{ filter: "datum.best != ''" }],
        mark: { type: 'text', align: 'left', dx: 12, dy: -10, fontWeight: 'bold' },
        encoding: { x: { field: 'recall', type: 'quantitative' }, y: { field: 'precision', type: 'quantitative' }, text: { field: 'best' } },
      },
    ],
  });
}

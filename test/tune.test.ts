import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import type { Database } from '../pipeline/db.js';
import { runRetro } from '../pipeline/retro/run-retro.js';
import { expandGrid, parseGrid } from '../pipeline/tune/grid.js';
import { choosePoint, runTune } from '../pipeline/tune/run-tune.js';
import type { Figure, TunePointResult, TuneResult } from '../pipeline/tune/run-tune.js';
import { scoredFleet, tempDir } from './helpers.js';

const f = (value: number | null): Figure => ({ value, low: null, high: null, k: 0, n: 1 });
const point = (id: number, precision: number, recall: number, benign: number, meets: boolean): TunePointResult => ({
  point_id: id, params: {}, item_precision: f(precision), attack_recall: f(recall), benign_report_rate: f(benign),
  coverage: f(0.5), items_per_report: f(4), meets_objective: meets,
});

describe('tune objective', () => {
  const objective = { minItemPrecision: 0.9, maxBenignReportRate: 0.1 };
  it('picks the highest attack recall among the points meeting precision and benign-rate bounds', () => {
    const points = [point(1, 0.95, 0.6, 0.05, true), point(2, 0.8, 0.99, 0.05, false), point(3, 0.92, 0.7, 0.1, true), point(4, 0.97, 0.7, 0.0, true)];
    const { best, verdict } = choosePoint(points, objective);
    // 3 and 4 tie on recall; 4 has the higher precision. 2 has the best recall but misses precision.
    expect(best?.point_id).toBe(4);
    expect(verdict).toBe('point 4 of 4 (3 meet the objective: highest attack recall with item precision >= 0.9 and benign report rate <= 0.1)');
  });
  it('says so when no point meets it', () => {
    expect(choosePoint([point(1, 0.5, 1, 0.5, false)], objective)).toEqual({
      best: null, verdict: 'no point of 1 meets the objective (highest attack recall with item precision >= 0.9 and benign report rate <= 0.1)',
    });
  });
  it('grid keys are validated: unknown, not sweepable, bad values', () => {
    expect(() => parseGrid(['rarity.max_fleet_hosts=1,2', 'burst.factor=2,3'])).not.toThrow();
    expect(() => parseGrid(['baseline.window_days=7,30'])).toThrow(/--grid baseline.window_days: cannot be swept from one scoring pass/);
    expect(() => parseGrid(['rarity.max_fleet_hosts=1,x'])).toThrow(/"x" is not a number/);
    expect(() => expandGrid(DEFAULT_THRESHOLDS, parseGrid(['rarity.max_fleet_share=2']))).toThrow(/rarity.max_fleet_share: must be between 0 and 1, got 2/);
    expect(expandGrid(DEFAULT_THRESHOLDS, parseGrid(['rarity.max_fleet_hosts=1,2', 'rarity.max_host_days=0,1,2']))).toHaveLength(6);
  });
});

describe('tune sweep on a generated fleet', () => {
  let db: Database;
  let days: string[];
  let tune: TuneResult;
  let out: string;
  beforeAll(async () => {
    ({ db, days } = await scoredFleet());
    out = tempDir();
    tune = await runTune(db, {
      from: days[3]!, to: days.at(-1)!, base: DEFAULT_THRESHOLDS, out,
      axes: parseGrid(['rarity.max_fleet_hosts=0,2,6', 'rarity.max_host_days=0,2', 'context.max_items=3,30']),
    });
  });

  it('every grid point gets the figures a retro with the same thresholds gets', async () => {
    expect(tune.points).toHaveLength(12);
    const defaults = tune.points.find((p) => p.params['rarity.max_fleet_hosts'] === 2 && p.params['rarity.max_host_days'] === 0 && p.params['context.max_items'] === 30)!;
    const retro = await runRetro(db, { from: days[3]!, to: days.at(-1)!, thresholds: DEFAULT_THRESHOLDS });
    const overall = (m: string) => retro.metrics.find((r) => r.group_by === 'overall' && r.metric === m)!;
    for (const m of ['item_precision', 'attack_recall', 'benign_report_rate', 'coverage', 'items_per_report'] as const) {
      expect([defaults[m].k, defaults[m].n], m).toEqual([overall(m).k, overall(m).n]);
    }
  });

  it('assembling one point at a time (a small memory) gives every point the same figures as a few at a time', async () => {
    const one = await runTune(db, {
      from: days[3]!, to: days.at(-1)!, base: DEFAULT_THRESHOLDS, candidatesPerChunk: 1,
      axes: parseGrid(['rarity.max_fleet_hosts=0,2,6', 'rarity.max_host_days=0,2', 'context.max_items=3,30']),
    });
    expect(one.chunks).toBe(12);
    expect(tune.chunks).toBeLessThan(12);
    expect(one.points).toEqual(tune.points);
  });

  it('looser rarity reports more, fewer items per report caps them', () => {
    const at = (hosts: number, days_: number, items: number) => tune.points.find((p) =>
      p.params['rarity.max_fleet_hosts'] === hosts && p.params['rarity.max_host_days'] === days_ && p.params['context.max_items'] === items)!;
    expect(at(6, 2, 30).coverage.k).toBeGreaterThanOrEqual(at(0, 0, 30).coverage.k);
    expect(at(6, 2, 30).items_per_report.value!).toBeGreaterThan(at(6, 2, 3).items_per_report.value!);
    expect(at(6, 2, 3).items_per_report.value!).toBeLessThanOrEqual(3);
  });

  it('writes the table, JSON with the chosen point, and an SVG chart', () => {
    const csv = readFileSync(join(out, 'tune.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(13);
    expect(csv[0]).toMatch(/^point_id,rarity.max_fleet_hosts,rarity.max_host_days,context.max_items,item_precision,/);
    const json = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8')) as { verdict: string; points: unknown[] };
    expect(json.verdict).toBe(tune.verdict);
    expect(json.points).toHaveLength(12);
    const svg = readFileSync(join(out, 'tune.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('attack recall');
    expect(existsSync(join(out, 'tune.parquet')) && existsSync(join(out, 'tune.arrow'))).toBe(true);
  });
});

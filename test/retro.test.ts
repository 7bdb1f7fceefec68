import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { resolveThresholds } from '../pipeline/config.js';
import type { Database } from '../pipeline/db.js';
import { compareRetroRuns } from '../pipeline/retro/compare-runs.js';
import { configHash, runRetro } from '../pipeline/retro/run-retro.js';
import type { RetroResult } from '../pipeline/retro/run-retro.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { memoryDb, scoredFleet, tempDir } from './helpers.js';

describe('retro: a stored re-run of context generation with metrics', () => {
  let db: Database;
  let days: string[];
  let fleet: string;
  let first: RetroResult;
  let out: string;
  beforeAll(async () => {
    ({ db, days, fleet } = await scoredFleet());
    out = tempDir();
    first = await runRetro(db, { from: days[3]!, to: days.at(-1)!, thresholds: DEFAULT_THRESHOLDS, out });
  });

  it('stores the run with its config, hash, code version and metrics', async () => {
    const stored = await db.one<Record<string, unknown>>('SELECT * FROM retro_runs WHERE run_id = $1', [first.run.run_id]);
    expect(stored['config_hash']).toBe(configHash(DEFAULT_THRESHOLDS));
    expect(JSON.parse(String(stored['config']))).toEqual(DEFAULT_THRESHOLDS);
    expect(String(stored['code_version'])).toMatch(/^0\.1\.0/);
    expect(stored['baselines']).toBe('stored');
    expect(first.run.labeled).toBe(true);
    const m = await db.one<{ n: number }>('SELECT count(*) AS n FROM retro_metrics WHERE run_id = $1', [first.run.run_id]);
    expect(m.n).toBe(first.metrics.length);
    // The reports are those context generation makes for the period: the same as the nightly runs made.
    const nightly = await db.all<{ a: string }>(
      `SELECT alert_id || context_event_activity AS a FROM context_reports r JOIN context_runs c USING (run_id)
       WHERE c.kind = 'nightly' AND r.alert_time >= $1::TIMESTAMP ORDER BY 1`, [days[3]!]);
    const retro = await db.all<{ a: string }>('SELECT alert_id || context_event_activity AS a FROM context_reports WHERE run_id = $1 ORDER BY 1', [first.run.run_id]);
    expect(retro).toEqual(nightly);
  });

  it('uses the stored baselines over a period with days that hold no events (they read no baseline)', async () => {
    // five days past the fleet's last: no events, no nightly, no baseline of their own
    const later = new Date(Date.parse(`${days.at(-1)!}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);
    const sparse = await runRetro(db, { from: days[3]!, to: later, thresholds: DEFAULT_THRESHOLDS });
    expect(sparse.run.baselines).toBe('stored');
    expect(sparse.run.reports).toBe(first.run.reports);
    const overall = (r: RetroResult) => r.metrics.filter((m) => m.group_by === 'overall').map((m) => [m.metric, m.k, m.n]);
    expect(overall(sparse)).toEqual(overall(first));
  });

  it('writes reports.ndjson and the same metrics as JSON, CSV, Parquet and Arrow', async () => {
    const reports = readFileSync(join(out, 'reports.ndjson'), 'utf8').trim().split('\n');
    expect(reports).toHaveLength(first.run.reports);
    const json = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { run: { run_id: number }; metrics: { metric: string; group_by: string; k: number; n: number }[] };
    expect(json.run.run_id).toBe(first.run.run_id);
    const coverage = json.metrics.find((m) => m.group_by === 'overall' && m.metric === 'coverage')!;
    expect(coverage.n).toBe(first.run.alerts);
    expect(coverage.k).toBe(first.run.reports);
    const csv = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run_id,group_by,group_value,metric,k,n,value,low,high');
    expect(csv).toHaveLength(first.metrics.length + 1);
    const parquet = await db.one<{ n: number; k: number }>(
      `SELECT count(*) AS n, sum(k) FILTER (WHERE group_by = 'overall' AND metric = 'coverage') AS k FROM read_parquet($1)`, [join(out, 'metrics.parquet')]);
    expect(parquet).toEqual({ n: first.metrics.length, k: first.run.reports });
    const arrow = tableFromIPC(readFileSync(join(out, 'metrics.arrow')));
    expect(arrow.numRows).toBe(first.metrics.length);
    expect(arrow.schema.fields.map((f) => f.name)).toEqual(['run_id', 'group_by', 'group_value', 'metric', 'k', 'n', 'value', 'low', 'high']);
  });

  it('another window rebuilds point-in-time baselines privately and leaves the nightly tables alone', async () => {
    const before = await db.one<{ n: number; s: number }>('SELECT count(*) AS n, sum(template_hosts) AS s FROM process_rarity');
    const baselineRuns = await db.all('SELECT * FROM baseline_runs ORDER BY as_of');
    const short = resolveThresholds({ baseline: { window_days: 2 }, rarity: { max_host_days: 1 } });
    const second = await runRetro(db, { from: days[3]!, to: days.at(-1)!, thresholds: short, configSource: 'short.json' });
    expect(second.run.baselines).toBe('rebuilt');
    expect(await db.one('SELECT count(*) AS n, sum(template_hosts) AS s FROM process_rarity')).toEqual(before);
    expect(await db.all('SELECT * FROM baseline_runs ORDER BY as_of')).toEqual(baselineRuns);
    const c = await compareRetroRuns(db, first.run.run_id, second.run.run_id);
    expect(c.configChanges).toEqual([
      { key: 'baseline.window_days', a: 30, b: 2 },
      { key: 'rarity.max_host_days', a: 0, b: 1 },
    ]);
    const cov = c.figures.find((f) => f.group_by === 'overall' && f.metric === 'coverage')!;
    expect(cov.a!.k).toBe(first.run.reports);
    expect(cov.b!.k).toBe(second.run.reports);
    expect(cov.delta).toBeCloseTo((second.run.reports - first.run.reports) / first.run.alerts, 9);
  });

  it('rebuilt baselines and scores give the reports a nightly run with the same settings made, windows before the period included', async () => {
    // (process windows of two days: the first day's alerts are judged by what ran the two days
    // before the period, whose scores and baselines are rebuilt with it; they were not, and the
    // first day's reports lost those events)
    const t = resolveThresholds({ baseline: { window_days: 2 }, windows: { process_before_minutes: 2 * 24 * 60 } });
    const other = await memoryDb();
    try {
      await runNightly(other, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: t });
      const rebuilt = await runRetro(db, { from: days[3]!, to: days.at(-1)!, thresholds: t });
      expect(rebuilt.run.baselines).toBe('rebuilt');
      const items = (d: Database, where: string, values: unknown[]) => d.all(
        `SELECT r.alert_id, i.item_no, i.category, i.reason, i.event_ids FROM context_reports r JOIN context_report_items i USING (run_id, report_id)
         WHERE ${where} ORDER BY ALL`, values as never);
      const nightly = await items(other, 'r.alert_time >= $1::TIMESTAMP', [days[3]!]);
      expect(nightly.length).toBeGreaterThan(0);
      expect(await items(db, 'r.run_id = $1', [rebuilt.run.run_id])).toEqual(nightly);
    } finally {
      other.close();
    }
  });

  it('refuses a period nightly has not run, naming the days', async () => {
    await db.run('DELETE FROM process_rarity WHERE day = $1::DATE', [days[1]!]);
    await expect(runRetro(db, { from: days[0]!, to: days[1]!, thresholds: DEFAULT_THRESHOLDS }))
      .rejects.toThrow(new RegExp(`1 day\\(s\\) with events were never run by nightly \\(${days[1]}\\)`));
  });
});

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../models/thresholds.js';
import { runNightly } from './nightly.js';
import { readReports } from '../context/read-reports.js';
import { writeReports } from '../context/write-reports.js';
import type { ReportRecord } from '../context/read-reports.js';
import { withDatabase } from '../db.js';
import type { Database } from '../db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../generate/generate-fleet.js';
import type { GenerateManifest } from '../generate/generate-fleet.js';
import { addCounts, emptyCounts } from '../load/load-files.js';
import type { FileCounts } from '../load/load-files.js';
import { isoWeekOf } from '../dates.js';
import { runRetro } from '../retro/run-retro.js';
import type { RetroResult } from '../retro/run-retro.js';
import { parseGrid } from '../tune/grid.js';
import { runTune } from '../tune/run-tune.js';
import type { TuneResult } from '../tune/run-tune.js';
import { writeWeekly } from '../weekly/write-weekly.js';
import type { WeeklyResult } from '../weekly/write-weekly.js';

/** The demo's tune sweep: 32 points over the rarity, burst and host-activity thresholds. */
export const DEMO_GRID = [
  'rarity.max_fleet_hosts=1,2,3,5', 'rarity.max_host_days=0,1', 'burst.factor=2,3', 'context.host_max_items=0,3',
];
/** Days the demo's retro covers: the last two weeks. */
export const DEMO_RETRO_DAYS = 14;

export interface DemoOptions {
  out: string;
  hosts: number;
  days: number;
  seed: number;
  /** Where the demo is: `done` of `total` days of a stage (generate, nightly), or a one-step stage (retro, tune, weekly). */
  progress?: (step: DemoStep) => void;
}

export interface DemoStep {
  stage: 'generate' | 'nightly' | 'retro' | 'tune' | 'weekly';
  done: number;
  total: number;
  detail: string;
}

export interface DemoResult {
  fleetDir: string;
  dbPath: string;
  manifest: GenerateManifest;
  /** What the nightly runs loaded, summed over the days. */
  load: { totals: FileCounts; files: number };
  /** Events scored unusual, and how many of them are labeled malicious. */
  unusual: { processes: number; malicious: number; logons: number; examples: { reason: string; malicious: boolean }[] };
  /**
   * Context reports made by the nightly runs, written to OUT/context; burstItems: their items from
   * unusual bursts (bursts are judged by context, around alerts).
   */
  reports: { alerts: number; reports: number; burstItems: number; trueAlertsReported: number; trueAlerts: number; falseAlertsReported: number; falseAlerts: number; example: string | null };
  retro: RetroResult;
  tune: TuneResult;
  weekly: WeeklyResult;
  seconds: { generate: number; nightly: number; retro: number; tune: number; weekly: number };
}

type Report = (step: DemoStep) => void;

/** The nightly run over every day of the fleet: what it loaded and the reports it made. */
async function nightlyDays(db: Database, days: readonly string[], fleetDir: string, progress?: Report) {
  let totals: FileCounts = emptyCounts();
  let files = 0;
  const reports: ReportRecord[] = [];
  for (const [i, day] of days.entries()) {
    progress?.({ stage: 'nightly', done: i, total: days.length, detail: day });
    const r = await runNightly(db, { date: day, input: fleetDir, thresholds: DEFAULT_THRESHOLDS });
    for (const id of r.contextRunIds) reports.push(...(await readReports(db, id)));
    const l = r.load!;
    files += l.files.length;
    totals = addCounts(totals, l.totals);
  }
  return { totals, files, reports };
}

/** What the nightly runs found: events scored unusual (with examples) and which labeled alerts got a report. */
async function nightlyFindings(db: Database) {
  const counts = await db.one<{ processes: number; malicious: number; logons: number }>(
    `SELECT (SELECT count(*) FROM process_rarity WHERE unusual) AS processes,
            (SELECT count(*) FROM process_rarity r JOIN labels l ON l.kind = 'event' AND l.id = r.event_id WHERE r.unusual) AS malicious,
            (SELECT count(*) FROM logon_rarity WHERE unusual) AS logons`,
  );
  // the reason in words from the stored features, as report items get it (macros/scoring.sql)
  const examples = await db.all<{ reason: string; malicious: boolean }>(
    `SELECT ac_process_reason(r.template_hosts, r.fleet_hosts, r.history_days, r.host_days, r.host_history_days, r.pair_hosts,
                              p.parent_name, p.process_name, $1::INTEGER) AS reason,
            l.id IS NOT NULL AS malicious
     FROM process_rarity r
     JOIN process_events p USING (event_id)
     LEFT JOIN labels l ON l.kind = 'event' AND l.id = r.event_id
     WHERE r.unusual
     ORDER BY l.id IS NULL, r.score DESC, r.event_id LIMIT 4`,
    [DEFAULT_THRESHOLDS.baseline.min_history_days],
  );
  const coverage = await db.one<{ alerts: number; tp: number; fp: number; tp_reported: number; fp_reported: number }>(
    `WITH reported AS (SELECT DISTINCT alert_id FROM context_reports r JOIN context_runs c USING (run_id) WHERE c.kind = 'nightly')
     SELECT count(*) AS alerts, count(*) FILTER (WHERE l.malicious) AS tp, count(*) FILTER (WHERE NOT l.malicious) AS fp,
            count(*) FILTER (WHERE l.malicious AND a.alert_id IN (SELECT alert_id FROM reported)) AS tp_reported,
            count(*) FILTER (WHERE NOT l.malicious AND a.alert_id IN (SELECT alert_id FROM reported)) AS fp_reported
     FROM alerts a JOIN labels l ON l.kind = 'alert' AND l.id = a.alert_id`,
  );
  return { ...counts, examples, coverage };
}

/** Retro and tune over the last DEMO_RETRO_DAYS days, and the weekly report of the last week, each timed. */
async function historyStages(db: Database, days: readonly string[], out: string, progress?: Report) {
  const from = days[Math.max(0, days.length - DEMO_RETRO_DAYS)]!;
  const last = days.at(-1)!;
  let s = Date.now();
  progress?.({ stage: 'retro', done: 0, total: 1, detail: `${from}..${last}` });
  const retro = await runRetro(db, { from, to: last, thresholds: DEFAULT_THRESHOLDS, out: join(out, 'retro') });
  const retroSeconds = (Date.now() - s) / 1000;
  s = Date.now();
  progress?.({ stage: 'tune', done: 0, total: 1, detail: `${from}..${last}` });
  const tune = await runTune(db, { from, to: last, base: DEFAULT_THRESHOLDS, axes: parseGrid(DEMO_GRID), out: join(out, 'tune') });
  const tuneSeconds = (Date.now() - s) / 1000;
  s = Date.now();
  progress?.({ stage: 'weekly', done: 0, total: 1, detail: isoWeekOf(last) });
  const weekly = await writeWeekly(db, { week: isoWeekOf(last), trendWeeks: 4, t: DEFAULT_THRESHOLDS, out: join(out, 'weekly') });
  const weeklySeconds = (Date.now() - s) / 1000;
  return { retro, tune, weekly, seconds: { retro: retroSeconds, tune: tuneSeconds, weekly: weeklySeconds } };
}

/**
 * The pipeline end to end on a generated sample: a fresh synthetic fleet into OUT/fleet; the
 * nightly run day by day into OUT/warehouse.duckdb (load, aggregates, baselines, scores, the day's
 * reports into OUT/context); a retro over the last two weeks (OUT/retro), a tune sweep over the
 * same days (OUT/tune) and the weekly report of the last week (OUT/weekly).
 */
export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const fleetDir = join(opts.out, 'fleet');
  const dbPath = join(opts.out, 'warehouse.duckdb');
  // The demo's output is generated: start clean so that a rerun gives the same result.
  for (const p of [fleetDir, dbPath, `${dbPath}.wal`, ...['context', 'retro', 'tune', 'weekly'].map((d) => join(opts.out, d))]) rmSync(p, { recursive: true, force: true });

  let t = Date.now();
  const manifest = await generateFleet({
    ...GENERATE_DEFAULTS, hosts: opts.hosts, days: opts.days, seed: opts.seed, out: fleetDir,
    onDay: (day, i, n) => opts.progress?.({ stage: 'generate', done: i, total: n, detail: day }),
  });
  const generateSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const { nightly, findings, history } = await withDatabase(dbPath, async (db) => {
    const nightly = await nightlyDays(db, manifest.days, fleetDir, opts.progress);
    const findings = await nightlyFindings(db);
    const history = await historyStages(db, manifest.days, opts.out, opts.progress);
    return { nightly, findings, history };
  });
  const allReports = nightly.reports;
  writeReports(join(opts.out, 'context'), allReports);
  const best = allReports.filter((r) => r.items.length >= 5).sort((a, b) => b.score - a.score || a.alert_time.localeCompare(b.alert_time))[0];
  const { coverage, ...unusual } = findings;
  const reports = {
    alerts: coverage.alerts, reports: allReports.length,
    burstItems: allReports.reduce((n, r) => n + r.items.filter((i) => i.category === 'UnusualMultiProcess').length, 0),
    trueAlerts: coverage.tp, trueAlertsReported: coverage.tp_reported,
    falseAlerts: coverage.fp, falseAlertsReported: coverage.fp_reported, example: best ? best.context_event_activity : null,
  };
  const stageSeconds = history.seconds;
  const nightlySeconds = (Date.now() - t) / 1000 - stageSeconds.retro - stageSeconds.tune - stageSeconds.weekly;
  return {
    fleetDir, dbPath, manifest, load: { totals: nightly.totals, files: nightly.files }, unusual, reports,
    retro: history.retro, tune: history.tune, weekly: history.weekly,
    seconds: { generate: generateSeconds, nightly: nightlySeconds, ...stageSeconds },
  };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNightly } from '../jobs/nightly.js';
import { loadThresholds } from '../config.js';
import type { Database } from '../db.js';
import { loadFiles } from '../load/load-files.js';
import { runRetro } from '../retro/run-retro.js';
import type { RetroRun } from '../retro/run-retro.js';
import { caseMetrics } from './case-metrics.js';
import type { CaseResult } from './case-metrics.js';
import { readEvalSet } from './eval-set.js';
import { freshEvalDatabase } from './fresh-db.js';
import { labelSet } from './label-set.js';
import type { SelectorCount } from './label-set.js';

export interface EvalOptions {
  /** The evaluation set's directory (default eval/otrf). */
  set?: string;
  /** The database to build; replaced on every run. */
  db: string;
  /** reports.ndjson, metrics.json|csv|parquet|arrow (retro's) and eval.json go here. */
  out: string;
  /** Thresholds (JSON); default: the set's config.json, else the documented defaults. */
  config?: string;
  onStep?: (step: string) => void;
}

export interface EvalResult {
  set: string;
  db: string;
  loaded: { process_events: number; logon_events: number };
  labeled_events: number;
  selectors: SelectorCount[];
  /** Days with events, each run by nightly. */
  nightly_days: number;
  retro: RetroRun;
  cases: CaseResult[];
  overall: CaseResult;
  files: string[];
  seconds: number;
}

/**
 * The evaluation on real captures: a fresh database, the set's captures loaded, its alerts and
 * labels inserted, nightly for every day that holds events (the other captures are the history),
 * retro over the cases' days, and the retro run's figures per case and overall (the metrics SQL of
 * retro, tune and weekly, over each case's alerts).
 */
export async function runEval(opts: EvalOptions): Promise<EvalResult> {
  const started = performance.now();
  const set = readEvalSet(opts.set);
  const configSource = opts.config ?? set.config;
  const thresholds = loadThresholds(configSource);
  const step = opts.onStep ?? (() => undefined);
  const db = await freshEvalDatabase(opts.db, set.dir);
  try {
    step(`load ${set.captures}`);
    const load = await loadFiles(db, { inputs: [set.captures], format: 'auto' });
    step('alerts and labels');
    const labeled = await labelSet(db, set);
    const days = await eventDays(db);
    for (const [i, day] of days.entries()) {
      step(`nightly ${day} (${i + 1} of ${days.length})`);
      await runNightly(db, { date: day, thresholds: thresholds });
    }
    const from = set.cases.map((c) => c.day).sort()[0]!;
    const to = set.cases.map((c) => c.day).sort().at(-1)!;
    step(`retro ${from}..${to}`);
    const retro = await runRetro(db, { from, to, thresholds: thresholds, out: opts.out, ...(configSource ? { configSource } : {}) });
    const { cases, overall } = await caseMetrics(db, set, retro.run, thresholds);
    const result: EvalResult = {
      set: set.dir, db: opts.db,
      loaded: { process_events: load.totals.loaded.process_events, logon_events: load.totals.loaded.logon_events },
      labeled_events: labeled.labeledEvents, selectors: labeled.selectors, nightly_days: days.length,
      retro: retro.run, cases, overall, files: [...retro.files], seconds: 0,
    };
    result.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    mkdirSync(opts.out, { recursive: true });
    const json = join(opts.out, 'eval.json');
    result.files.push(json);
    writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    db.close();
  }
}

/** The UTC days that hold process or logon events, in order. */
async function eventDays(db: Database): Promise<string[]> {
  const rows = await db.all<{ day: string }>(
    `SELECT DISTINCT strftime(ts::DATE, '%Y-%m-%d') AS day FROM (SELECT ts FROM process_events UNION ALL SELECT ts FROM logon_events) ORDER BY 1`,
  );
  return rows.map((r) => r.day);
}

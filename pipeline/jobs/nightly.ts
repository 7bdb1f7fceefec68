import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { OptionError } from '../errors.js';
import { addCounts, commitLoad, stageLoad } from '../load/load-files.js';
import type { LoadSummary } from '../load/load-files.js';
import type { TimeRange } from '../load/time-range.js';
import { makeContextReports } from '../context/make-reports.js';
import { detectDay, dropSigmaTables, publishSigmaAlerts } from '../sigma/detect-day.js';
import type { DayDetection } from '../sigma/detect-day.js';
import { addDays, checkDate } from '../dates.js';
import { aggregateDays, buildBaselines, scoreDays } from '../baseline/build-baselines.js';
import { dropDayShadows, dropEventViews, publishDay, shadowDay } from './day-shadows.js';

export interface NightlyOptions {
  /** The day (UTC) the run is for: its files are loaded, its aggregates made, the baseline for the next day built. */
  date: string;
  /** For a catch-up run over [date, to]: every day's files, aggregates and next-day baselines, set-based. */
  to?: string;
  /** A directory in the generator's layout (DIR/<date>/...) or one day's files. */
  input?: string;
  thresholds: Thresholds;
  /** Event times a load accepts (default 2000-01-01 .. now + 1 day). */
  timeRange?: TimeRange;
  /** Called as each stage of each day starts. */
  onStage?: (stage: string, day: string) => void;
  /** Sigma rules run over each day before its context reports (the detect stage); absent: none. */
  detect?: DayDetection;
}

/** A stage of a run: when it ran, the rows it wrote, its duration (summed over the days of a catch-up). */
export interface StageResult { stage: string; started: Date; finished: Date; rows: number; seconds: number }
export interface NightlyResult {
  /** The run of each day, in order (a catch-up runs day by day). */
  runIds: number[];
  date: string;
  to: string;
  /** Per stage, summed over the days. */
  stages: StageResult[];
  load?: LoadSummary;
  /** The context run of each day. */
  contextRunIds: number[];
  /** The days --input (laid out in day folders) has no folder for: nothing was loaded for them. */
  missingDays: string[];
}

/** The summaries of consecutive loads of one run, as one. */
function mergeLoads(a: LoadSummary | undefined, b: LoadSummary): LoadSummary {
  if (!a) return b;
  return {
    loadId: b.loadId, files: [...a.files, ...b.files], skippedFiles: [...a.skippedFiles, ...b.skippedFiles], totals: addCounts(a.totals, b.totals),
    days: [...new Set([...a.days, ...b.days])].sort(),
  };
}


/**
 * The files of one day: DIR/<date> in the generator's layout, else DIR itself; null when DIR is
 * laid out in day folders (YYYY-MM-DD) and has none for the day: nothing to load that day (read
 * whole, DIR would load every other day again).
 */
export function dayInput(input: string, date: string): string | null {
  const dated = join(input, date);
  if (existsSync(dated) && statSync(dated).isDirectory()) return dated;
  if (!existsSync(input)) throw new OptionError('--input', `${input}: no such file or directory`);
  if (statSync(input).isDirectory()) {
    const dayFolders = readdirSync(input, { withFileTypes: true }).filter((e) => /^\d{4}-\d{2}-\d{2}$/.test(e.name) && e.isDirectory());
    if (dayFolders.length > 0) return null;
  }
  return input;
}

/** The most days one nightly run covers (1900-01-01..2100-01-01 started on 73,000). */
const MAX_RUN_DAYS = 1000;

/**
 * The days of a run ([date, to], checked) and each day's input, resolved first: a missing
 * directory fails before anything runs. DuckDB's nightly and the cluster's share it.
 */
export function nightlyDays(opts: { date: string; to?: string | undefined; input?: string | undefined }): {
  date: string; to: string; days: string[]; inputs: (string | undefined)[]; missingDays: string[];
} {
  const date = checkDate(opts.date, '--date');
  const to = opts.to ? checkDate(opts.to, '--to') : date;
  if (to < date) throw new OptionError('--to', `${to} is before ${date}`);
  const days: string[] = [];
  for (let d = date; d <= to && days.length <= MAX_RUN_DAYS; d = addDays(d, 1)) days.push(d);
  if (days.length > MAX_RUN_DAYS) throw new OptionError('--to', `${date}..${to} is more than ${MAX_RUN_DAYS} days: split the run (a mistyped year?)`);
  const found = days.map((d) => (opts.input ? dayInput(opts.input, d) : undefined));
  return { date, to, days, inputs: found.map((f) => f ?? undefined), missingDays: days.filter((_, i) => found[i] === null) };
}

/**
 * The scheduled run for a day, or a catch-up over [date, to] as one run per day, in order. Each
 * day is one transaction (a crash midway leaves the state of the last completed day): load the
 * day's files, recompute its aggregates, build the baselines as of the day and the next day, score
 * its events against the baseline as of the day, make the context reports of its alerts. Rerunning
 * a day gives identical tables. Every run is recorded in run_ledger.
 */
export async function runNightly(db: Database, opts: NightlyOptions): Promise<NightlyResult> {
  const { date, to, days, inputs, missingDays } = nightlyDays(opts);
  const result: NightlyResult = { runIds: [], date, to, stages: [], contextRunIds: [], missingDays };
  for (const [i, day] of days.entries()) {
    const r = await runDay(db, day, inputs[i], opts);
    result.runIds.push(r.runId);
    if (r.contextRunId !== undefined) result.contextRunIds.push(r.contextRunId);
    if (r.load) result.load = mergeLoads(result.load, r.load);
    for (const s of r.stages) {
      const sum = result.stages.find((x) => x.stage === s.stage);
      if (!sum) result.stages.push({ ...s });
      else Object.assign(sum, { finished: s.finished, rows: sum.rows + s.rows, seconds: sum.seconds + s.seconds });
    }
  }
  return result;
}

interface DayResult { runId: number; stages: StageResult[]; load?: LoadSummary; contextRunId?: number }

/** A new run of `date` in run_ledger, 'running'. */
async function startRun(db: Database, date: string): Promise<number> {
  const { run_id: runId } = await db.one<{ run_id: number }>(`SELECT nextval('run_id_seq') AS run_id`);
  // A run still 'running' was killed (kill -9, power loss): DuckDB admits one writer, and this is it.
  await db.run(
    `UPDATE run_ledger SET status = 'failed', detail = 'killed: did not finish (found running by run ' || $1 || ')'
     WHERE stage = 'run' AND status = 'running'`,
    [runId],
  );
  const started = new Date();
  await db.run(`INSERT INTO run_ledger VALUES ($1, $2::DATE, 'run', $3::TIMESTAMPTZ, NULL, NULL, 'running', NULL)`, [runId, date, started.toISOString()]);
  return runId;
}

/** A committed day's ledger: a row per stage, and the run marked ok. */
async function finishRun(db: Database, runId: number, date: string, stages: readonly StageResult[]): Promise<void> {
  for (const s of stages) {
    await db.run(`INSERT INTO run_ledger VALUES ($1, $2::DATE, $3, $4::TIMESTAMPTZ, $5::TIMESTAMPTZ, $6, 'ok', NULL)`, [
      runId, date, s.stage, s.started.toISOString(), s.finished.toISOString(), s.rows,
    ]);
  }
  await db.run(`UPDATE run_ledger SET finished_at = $2::TIMESTAMPTZ, status = 'ok', rows = $3 WHERE run_id = $1 AND stage = 'run'`, [
    runId, new Date().toISOString(), stages.reduce((n, s) => n + s.rows, 0),
  ]);
}

/** A day's run that failed (or was stopped): marked failed with the error's first line, after a signal too. */
async function failRun(db: Database, runId: number, err: unknown): Promise<void> {
  await db.runAfterSignal(`UPDATE run_ledger SET finished_at = $2::TIMESTAMPTZ, status = 'failed', detail = $3 WHERE run_id = $1 AND stage = 'run'`, [
    runId, new Date().toISOString(), (err as Error).message.split('\n')[0] ?? 'error',
  ]);
}

/** Runs a stage of `date`: announces it, times it and records the rows it wrote in `stages`. */
function stageTimer(stages: StageResult[], date: string, onStage: NightlyOptions['onStage']) {
  return async (name: string, work: () => Promise<number>, since = new Date()) => {
    onStage?.(name, date);
    const rows = await work();
    const finished = new Date();
    stages.push({ stage: name, started: since, finished, rows, seconds: (finished.getTime() - since.getTime()) / 1000 });
  };
}

async function runDay(db: Database, date: string, input: string | undefined, opts: NightlyOptions): Promise<DayResult> {
  const runId = await startRun(db, date);
  const stages: StageResult[] = [];
  const stage = stageTimer(stages, date, opts.onStage);
  let load: LoadSummary | undefined;
  let contextRunId: number | undefined;
  try {
    // Read and map the day's files, then compute the day's aggregates, baselines, scores and
    // reports, all before the transaction, against session-private stand-ins (day-shadows.ts):
    // DuckDB scans them in parallel there, and rows written inside a transaction with one thread.
    // The transaction then commits the load and copies the day's results in: a failure anywhere
    // leaves the stored tables as they were.
    const loadStarted = new Date();
    if (input) opts.onStage?.('load', date);
    const staged = input ? await stageLoad(db, { inputs: [input], format: 'auto', ...(opts.timeRange ? { timeRange: opts.timeRange } : {}) }) : undefined;
    const stagedAt = new Date();
    try {
      const shadowed = await shadowDay(db, date, opts.thresholds.baseline.window_days, opts.thresholds.windows, staged !== undefined);
      await stage('aggregate', () => aggregateDays(db, date, date));
      // Baselines as of the day (for scoring it) and of the next day (for tomorrow); each merges
      // only the days before it.
      await stage('baseline', () => buildBaselines(db, date, addDays(date, 1), opts.thresholds));
      await stage('score', () => scoreDays(db, date, date, opts.thresholds));
      const detection = opts.detect;
      if (detection) await stage('detect', () => detectDay(db, date, detection, staged !== undefined));
      await stage('context', async () => {
        const r = await makeContextReports(db, date, date, opts.thresholds, 'nightly');
        contextRunId = r.runId;
        return r.reports;
      });
      await dropEventViews(db);
      await db.transaction(async () => {
        if (staged) {
          // The load's time: reading and mapping the files, and committing their rows.
          const commitStarted = new Date();
          load = await commitLoad(db, staged);
          const finished = new Date();
          const seconds = (stagedAt.getTime() - loadStarted.getTime() + finished.getTime() - commitStarted.getTime()) / 1000;
          stages.unshift({ stage: 'load', started: loadStarted, finished, rows: Object.values(load.totals.loaded).reduce((a, b) => a + b, 0), seconds });
        }
        await stage('publish', async () => {
          await publishDay(db, shadowed);
          if (detection) await publishSigmaAlerts(db);
          return 0;
        });
      });
    } finally {
      await dropDayShadows(db);
      await dropSigmaTables(db);
    }
  } catch (err) {
    await failRun(db, runId, err);
    throw err;
  }
  await finishRun(db, runId, date, stages);
  return { runId, stages, ...(load ? { load } : {}), ...(contextRunId !== undefined ? { contextRunId } : {}) };
}

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { OptionError } from '../errors.js';
import { addCounts, loadFiles } from '../load/load-files.js';
import type { LoadSummary } from '../load/load-files.js';
import { makeContextReports } from '../context/make-reports.js';
import { addDays, checkDate } from '../dates.js';
import { aggregateDays, buildBaselines, scoreDays } from './build-baselines.js';

export interface NightlyOptions {
  /** The day (UTC) the run is for: its files are loaded, its aggregates made, the baseline for the next day built. */
  date: string;
  /** For a catch-up run over [date, to]: every day's files, aggregates and next-day baselines, set-based. */
  to?: string;
  /** A directory in the generator's layout (DIR/<date>/...) or one day's files. */
  input?: string;
  thresholds: Thresholds;
  onStage?: (stage: string) => void;
}

export interface StageResult { stage: string; started: Date; finished: Date; rows: number }
export interface NightlyResult { runId: number; date: string; to: string; stages: StageResult[]; load?: LoadSummary; contextRunId?: number }

/** The summaries of consecutive loads of one run, as one. */
function mergeLoads(a: LoadSummary | undefined, b: LoadSummary): LoadSummary {
  if (!a) return b;
  return { loadId: b.loadId, files: [...a.files, ...b.files], skippedFiles: [...a.skippedFiles, ...b.skippedFiles], totals: addCounts(a.totals, b.totals) };
}


/** The files of one day: DIR/<date> in the generator's layout, else DIR itself. */
export function dayInput(input: string, date: string): string {
  const dated = join(input, date);
  if (existsSync(dated) && statSync(dated).isDirectory()) return dated;
  if (!existsSync(input)) throw new OptionError('--input', `${input}: no such file or directory`);
  return input;
}

/**
 * One scheduled run for a day, in one transaction (a crash midway leaves the previous state):
 * load the day's files, recompute the day's aggregates, build the baselines as of the day and the
 * next day, score the day's events against the baseline as of the day, make the context reports
 * of the day's alerts.
 * Rerunning a day gives identical tables. Every run is recorded in run_ledger.
 */
export async function runNightly(db: Database, opts: NightlyOptions): Promise<NightlyResult> {
  const date = checkDate(opts.date, '--date');
  const to = opts.to ? checkDate(opts.to, '--to') : date;
  if (to < date) throw new OptionError('--to', `${to} is before ${date}`);
  const days: string[] = [];
  for (let d = date; d <= to; d = addDays(d, 1)) days.push(d);
  const inputs = opts.input ? [...new Set(days.map((d) => dayInput(opts.input!, d)))] : [];
  const { run_id: runId } = await db.one<{ run_id: number }>(`SELECT nextval('run_id_seq') AS run_id`);
  const started = new Date();
  await db.run(`INSERT INTO run_ledger VALUES ($1, $2::DATE, 'run', $3::TIMESTAMPTZ, NULL, NULL, 'running', NULL)`, [runId, date, started.toISOString()]);
  const stages: StageResult[] = [];
  const stage = async (name: string, work: () => Promise<number>) => {
    opts.onStage?.(name);
    const s = new Date();
    const rows = await work();
    stages.push({ stage: name, started: s, finished: new Date(), rows });
  };
  let load: LoadSummary | undefined;
  let contextRunId: number | undefined;
  try {
    await db.transaction(async () => {
      if (inputs.length > 0) {
        await stage('load', async () => {
          // One day's files at a time: a load stages its rows, and a 14-day catch-up of 1,000 hosts
          // staged at once spilled 33 GB. The days still commit together with the rest of the run.
          for (const input of inputs) load = mergeLoads(load, await loadFiles(db, { inputs: [input], format: 'auto', inTransaction: true }));
          return Object.values(load!.totals.loaded).reduce((a, b) => a + b, 0);
        });
      }
      await stage('aggregate', () => aggregateDays(db, date, to));
      // Baselines as of each day of the run (for scoring it) and of the next day (for tomorrow);
      // each merges only the days before it.
      await stage('baseline', () => buildBaselines(db, date, addDays(to, 1), opts.thresholds));
      await stage('score', () => scoreDays(db, date, to, opts.thresholds));
      await stage('context', async () => {
        const r = await makeContextReports(db, date, to, opts.thresholds, 'nightly');
        contextRunId = r.runId;
        return r.reports;
      });
    });
  } catch (err) {
    await db.run(`UPDATE run_ledger SET finished_at = $2::TIMESTAMPTZ, status = 'failed', detail = $3 WHERE run_id = $1 AND stage = 'run'`, [
      runId, new Date().toISOString(), (err as Error).message.split('\n')[0] ?? 'error',
    ]);
    throw err;
  }
  for (const s of stages) {
    await db.run(`INSERT INTO run_ledger VALUES ($1, $2::DATE, $3, $4::TIMESTAMPTZ, $5::TIMESTAMPTZ, $6, 'ok', NULL)`, [
      runId, date, s.stage, s.started.toISOString(), s.finished.toISOString(), s.rows,
    ]);
  }
  await db.run(`UPDATE run_ledger SET finished_at = $2::TIMESTAMPTZ, status = 'ok', rows = $3 WHERE run_id = $1 AND stage = 'run'`, [
    runId, new Date().toISOString(), stages.reduce((n, s) => n + s.rows, 0),
  ]);
  return { runId, date, to, stages, ...(load ? { load } : {}), ...(contextRunId !== undefined ? { contextRunId } : {}) };
}

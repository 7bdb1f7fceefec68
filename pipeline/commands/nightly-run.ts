import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import type { EngineArgs } from '../engine/clickhouse/engine-option.js';
import { clusterUrls } from '../engine/clickhouse/engine-option.js';
import { loadThresholds } from '../config.js';
import { withDatabase } from '../db.js';
import type { Database } from '../db.js';
import { nightlyDays, runNightly } from '../jobs/nightly.js';
import { readReports } from '../context/read-reports.js';
import { writeReports } from '../context/write-reports.js';
import { periodDays } from '../dates.js';
import { progressWanted, startProgress } from '../progress.js';
import type { Progress } from '../progress.js';
import { textTable } from '../table-text.js';
import { visible } from '../escape.js';
import { requireRulesToRun } from '../sigma/rule-set.js';
import { parseTimeRange } from '../load/time-range.js';
import { loadDetectConfig } from '../sigma/detect-config.js';
import { ruleSetOf } from '../sigma/detect-period.js';
import { referenceFor } from '../sigma/run-detect.js';

export interface NightlyArgs extends GlobalOptions, EngineArgs {
  date: string;
  out?: string;
  to?: string;
  input?: string;
  config?: string;
  timeRange?: string;
}

export async function run(args: ArgumentsCamelCase<NightlyArgs>): Promise<void> {
  if (clusterUrls(args).length > 0) return (await import('../engine/clickhouse/commands.js')).nightlyOnCluster(args);
  // the dates and --input checked before the database is opened (a refused run left a new, empty database file)
  nightlyDays({ date: args.date, to: args.to, input: args.input });
  const thresholds = loadThresholds(args.config);
  // Sigma detection before each day's context reports unless the config's detect.nightly is false.
  const detectConfig = loadDetectConfig(args.config);
  const detect = detectConfig.nightly ? { rules: ruleSetOf(detectConfig), reference: referenceFor(detectConfig.rules) } : undefined;
  if (detect) requireRulesToRun(detect.rules, detectConfig.rules, args.config ? `${args.config}: detect.rules` : 'detect.rules', ': fix it, or set detect.nightly to false');
  // On a terminal one progress line (days done, rate, time left); elsewhere a timestamped log line per stage.
  const tty = progressWanted(args);
  let progress: Progress | undefined;
  const result = await withDatabase(args.db, async (db) => {
    const r = await runNightly(db, {
      date: args.date, thresholds, timeRange: parseTimeRange(args.timeRange), ...(detect ? { detect } : {}),
      ...(args.to ? { to: args.to } : {}),
      ...(args.input ? { input: args.input } : {}),
      onStage: (stage, day) => {
        if (tty) {
          // runNightly has checked the dates before its first stage.
          const days = periodDays(args.date, args.to ?? args.date);
          progress ??= startProgress('nightly', days.length, 'days', true);
          progress.update(days.indexOf(day), `${day} ${stage}`);
        } else if (!args.json && !args.quiet) console.error(`${new Date().toISOString()} nightly ${day}: ${stage}`);
      },
    });
    if (args.out) writeReports(args.out, (await Promise.all(r.contextRunIds.map((id) => readReports(db, id)))).flat());
    return { ...r, coldStart: await coldStartDays(db, r.date, r.to, thresholds.baseline.min_history_days) };
  }).finally(() => progress?.end());
  if (args.json) {
    console.log(JSON.stringify({
      run_ids: result.runIds, date: result.date, to: result.to, stages: result.stages, load: result.load?.totals, missing_days: result.missingDays,
      cold_start_days: result.coldStart,
    }, null, 2));
    return;
  }
  const period = result.to === result.date ? result.date : `${result.date}..${result.to}`;
  console.log(`nightly ${period}: ok (run${result.runIds.length > 1 ? 's' : ''} ${result.runIds.join(', ')})`);
  console.log(textTable(['stage', 'rows', 'seconds'], result.stages.map((s) => [s.stage, s.rows, Number(s.seconds.toFixed(2))])));
  // a day folder missing from --input (a collector's outage, a mistyped date) is said, not silent
  if (result.missingDays.length > 0) console.log(`no day folder in ${visible(args.input ?? '')} for ${result.missingDays.join(', ')}: nothing loaded for ${result.missingDays.length === 1 ? 'that day' : 'those days'}`);
  // the fleet's first days: on its first no process is unusual yet, and few alerts get a report (not a fault)
  if (result.coldStart.length > 0) {
    const days = result.coldStart.map((d) => `${d.day} (${d.history_days} of ${thresholds.baseline.min_history_days})`).join(', ');
    console.log(`cold start: the fleet had fewer days of history than baseline.min_history_days on ${days}: processes are judged by the fleet's few days, their scores damped`
      + (result.coldStart.some((d) => d.history_days === 0) ? '; on a day without history none is judged unusual, and only an unusual RDP logon makes a report' : ''));
  }
}

/** The days of [from, to] whose baseline had less fleet history than `minDays` (baseline_runs). */
async function coldStartDays(db: Database, from: string, to: string, minDays: number): Promise<{ day: string; history_days: number }[]> {
  return db.all<{ day: string; history_days: number }>(
    'SELECT as_of::VARCHAR AS day, history_days FROM baseline_runs WHERE as_of BETWEEN $1::DATE AND $2::DATE AND history_days < $3 ORDER BY as_of',
    [from, to, minDays],
  );
}

// The load, nightly, retro and tune commands with --engine clickhouse (the hooks in
// commands/*-run.ts hand over here). DuckDB (--db) keeps the alerts, the context runs and
// their reports; the cluster keeps the telemetry, the daily aggregates and the baselines.
import type { GlobalOptions } from '../../cli-options.js';
import { loadThresholds } from '../../config.js';
import { readReports } from '../../context/read-reports.js';
import { writeReports } from '../../context/write-reports.js';
import type { Database } from '../../db.js';
import { withDatabase } from '../../db.js';
import { parseTimeRange } from '../../load/time-range.js';
import { textTable } from '../../table-text.js';
import { ClickHouseCluster } from './cluster.js';
import type { EngineArgs } from './engine-option.js';
import { clusterUrls } from './engine-option.js';
import { loadIntoCluster, runNightlyOnCluster } from './nightly.js';
import { runRetroOnCluster, runTuneOnCluster } from './retro-tune.js';
import type { RetroOptions, RetroResult } from '../../retro/run-retro.js';
import type { TuneResult } from '../../tune/run-tune.js';

async function withCluster<T>(args: EngineArgs, work: (c: ClickHouseCluster) => Promise<T>): Promise<T> {
  const c = await ClickHouseCluster.connect({ urls: clusterUrls(args), ...(args.clickhouseCluster ? { cluster: args.clickhouseCluster } : {}) });
  try {
    return await work(c);
  } finally {
    await c.close();
  }
}

export async function loadOnCluster(args: GlobalOptions & EngineArgs & { input: string[]; timeRange?: string }): Promise<void> {
  const r = await withCluster(args, (c) => withDatabase(args.db, (db) => loadIntoCluster(c, db, args.input, parseTimeRange(args.timeRange))));
  const t = r.summary.totals;
  if (args.json) {
    console.log(JSON.stringify({ engine: 'clickhouse', process_events: r.processEvents, logon_events: r.logonEvents, alerts: r.alerts, totals: t }, null, 2));
    return;
  }
  console.log(`load (clickhouse): ${r.summary.files.length} file(s) read, ${r.processEvents} process and ${r.logonEvents} logon events to the cluster, ${r.alerts} new alert(s) to ${args.db}`);
  console.log(textTable(['read', 'skipped', 'rejected', 'duplicates'], [[t.read, t.skipped, t.rejected, t.duplicates]]));
}

export async function nightlyOnCluster(args: GlobalOptions & EngineArgs & { date: string; to?: string; input?: string; config?: string; out?: string; timeRange?: string }): Promise<void> {
  const thresholds = loadThresholds(args.config);
  const result = await withCluster(args, (c) => withDatabase(args.db, async (db) => {
    const r = await runNightlyOnCluster(c, db, {
      date: args.date, thresholds, timeRange: parseTimeRange(args.timeRange), hostBuckets: args.clickhouseHostBuckets ?? 1,
      ...(args.to ? { to: args.to } : {}), ...(args.input ? { input: args.input } : {}),
      onStage: (stage, day) => { if (!args.json && !args.quiet) console.error(`${new Date().toISOString()} nightly ${day}: ${stage} (clickhouse)`); },
    });
    if (args.out) writeReports(args.out, (await Promise.all(r.contextRunIds.map((id) => readReports(db, id)))).flat());
    return r;
  }));
  if (args.json) {
    console.log(JSON.stringify({ engine: 'clickhouse', date: result.date, to: result.to, context_run_ids: result.contextRunIds, stages: result.stages }, null, 2));
    return;
  }
  const period = result.to === result.date ? result.date : `${result.date}..${result.to}`;
  console.log(`nightly ${period}: ok on clickhouse (context run${result.contextRunIds.length > 1 ? 's' : ''} ${result.contextRunIds.join(', ')})`);
  console.log(textTable(['stage', 'rows', 'seconds'], result.stages.map((s) => [s.stage, s.rows, Number(s.seconds.toFixed(2))])));
}

/** retro --engine clickhouse (commands/retro-run.ts prints the result as for DuckDB). */
export async function retroOnCluster(args: EngineArgs, warehouse: Database, opts: RetroOptions): Promise<RetroResult> {
  return withCluster(args, (c) => runRetroOnCluster(c, warehouse, opts));
}

/** tune --engine clickhouse (commands/tune-run.ts prints the result as for DuckDB). */
export async function tuneOnCluster(args: EngineArgs, warehouse: Database, opts: Parameters<typeof runTuneOnCluster>[2]): Promise<TuneResult> {
  return withCluster(args, (c) => runTuneOnCluster(c, warehouse, opts));
}

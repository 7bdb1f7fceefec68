import { addDays } from '../../dates.js';
import { Database } from '../../db.js';
import { nightlyDays } from '../../jobs/nightly.js';
import type { NightlyOptions, StageResult } from '../../jobs/nightly.js';
import { loadFiles } from '../../load/load-files.js';
import type { LoadSummary } from '../../load/load-files.js';
import type { TimeRange } from '../../load/time-range.js';
import type { ClickHouseCluster } from './cluster.js';
import { contextOnCluster } from './context-session.js';
import { copyEventsToCluster } from './load.js';
import { keepLoadRecords } from './load-records.js';
import { CONTEXT_RUN_TABLES, publishRun } from './publish.js';
import { aggregateDaysOnCluster, buildBaselinesOnCluster, createClickHouseSchema } from './stages.js';

export interface ClusterLoadResult { summary: LoadSummary; processEvents: number; logonEvents: number; alerts: number }

/**
 * Load files with the cluster holding the telemetry: DuckDB's loader maps and dedupes them into a
 * scratch in-memory database (every format, the same rejects), its canonical events go to the
 * cluster, and its alerts, labels, rejects and ledger to the warehouse (load-records.ts).
 */
export async function loadIntoCluster(c: ClickHouseCluster, warehouse: Database, inputs: string[], timeRange?: TimeRange): Promise<ClusterLoadResult> {
  const scratch = await Database.open(':memory:');
  try {
    const summary = await loadFiles(scratch, { inputs, format: 'auto', ...(timeRange ? { timeRange } : {}) });
    await createClickHouseSchema(c);
    const copied = await copyEventsToCluster(c, scratch);
    const alerts = await keepLoadRecords(scratch, warehouse);
    return { summary, processEvents: copied.process_events, logonEvents: copied.logon_events, alerts };
  } finally {
    scratch.close();
  }
}

/** A DuckDB nightly's options (jobs/nightly.ts) but the Sigma stage, and the host buckets. */
export interface ClusterNightlyOptions extends Omit<NightlyOptions, 'detect'> {
  /** Host buckets per shard for the memory-heavy aggregates (default 1: one statement). */
  hostBuckets?: number;
}
export interface ClusterNightlyResult { date: string; to: string; stages: StageResult[]; contextRunIds: number[] }

/**
 * The nightly run with the fleet-wide stages on a ClickHouse cluster, day by day: load the day's
 * files (events to the cluster, alerts to the warehouse), its daily aggregates on every shard,
 * the baselines as of the day and the next, then its alerts' scores and context reports in a
 * pulled DuckDB session, published to the warehouse. A rerun of a day replaces what it made.
 */
export async function runNightlyOnCluster(c: ClickHouseCluster, warehouse: Database, opts: ClusterNightlyOptions): Promise<ClusterNightlyResult> {
  const { date, to, days, inputs } = nightlyDays(opts);
  await createClickHouseSchema(c);
  const result: ClusterNightlyResult = { date, to, stages: [], contextRunIds: [] };
  const stage = async (name: string, day: string, work: () => Promise<number>) => {
    opts.onStage?.(name, day);
    const started = new Date();
    const rows = await work();
    const finished = new Date();
    const seconds = (finished.getTime() - started.getTime()) / 1000;
    const sum = result.stages.find((s) => s.stage === name);
    if (sum) Object.assign(sum, { finished, rows: sum.rows + rows, seconds: sum.seconds + seconds });
    else result.stages.push({ stage: name, started, finished, rows, seconds });
  };
  for (const [i, day] of days.entries()) {
    const input = inputs[i];
    if (input) await stage('load', day, async () => { const r = await loadIntoCluster(c, warehouse, [input], opts.timeRange); return r.processEvents + r.logonEvents; });
    await stage('aggregate', day, async () => { await aggregateDaysOnCluster(c, day, day, opts.hostBuckets ?? 1); return 0; });
    await stage('baseline', day, async () => { await buildBaselinesOnCluster(c, day, addDays(day, 1), opts.thresholds); return 0; });
    await stage('context', day, async () => {
      const { session, result: made } = await contextOnCluster(c, warehouse, day, opts.thresholds);
      try {
        result.contextRunIds.push(await publishRun(warehouse, session, made.runId, CONTEXT_RUN_TABLES, day));
        return made.reports;
      } finally {
        session.close();
      }
    });
  }
  return result;
}

// retro and tune with the fleet-wide data on a ClickHouse cluster. The period's point-in-time
// baselines are the cluster's nightly snapshots, or a private rebuild under another window or
// burst quantile (pit-baselines.ts); the alert hosts' events and the baseline rows they need are
// pulled into an embedded DuckDB (pullSession), where retro and tune run as on one machine. A
// retro run is then published to the warehouse (--db) under a new run id.
import type { Thresholds } from '../../../models/thresholds.js';
import { addDays, checkDate } from '../../dates.js';
import type { Database } from '../../db.js';
import { OptionError } from '../../errors.js';
import type { BaselineSource } from '../../point-in-time/baselines.js';
import { runRetro, writeRetroOutputs } from '../../retro/run-retro.js';
import type { RetroOptions, RetroResult } from '../../retro/run-retro.js';
import { runTune } from '../../tune/run-tune.js';
import type { TuneResult } from '../../tune/run-tune.js';
import type { ClickHouseCluster } from './cluster.js';
import { pullSession } from './context-session.js';
import { rebuildPrivateBaselines, storedOrRebuilt } from './pit-baselines.js';
import type { PrivateBaselines } from './pit-baselines.js';
import { RETRO_RUN_TABLES, publishRun } from './publish.js';
import { contextReachDays } from '../../table-registry.js';

/**
 * The pulled, scored session of the alerts of [from, to] under `t`, handed to `work` with where
 * its baselines came from; the session and any private baselines are gone afterwards.
 */
async function withPointInTimeSession<T>(
  c: ClickHouseCluster, warehouse: Database, what: string, from: string, to: string, t: Thresholds,
  work: (session: Database, baselines: BaselineSource) => Promise<T>,
): Promise<T> {
  checkDate(from, '--from');
  checkDate(to, '--to');
  if (to < from) throw new OptionError('--to', `${to} is before ${from}`);
  await c.setParams({ from, to, window_days: t.baseline.window_days, burst_quantile: t.burst.quantile });
  const source = await storedOrRebuilt(c, what, from, to);
  let pit: PrivateBaselines | undefined;
  try {
    // A rebuild covers the days the period's context windows reach back to (contextReachDays) and
    // [from, to], and scores from the first of them, as DuckDB's private rebuild does.
    const first = addDays(from, -contextReachDays(t.windows));
    if (source === 'rebuilt') pit = await rebuildPrivateBaselines(c, first, to, t);
    const session = await pullSession(c, warehouse, from, to, t, pit ? { baselineDatabase: pit.database, scoreFrom: first } : {});
    try {
      return await work(session, source);
    } finally {
      session.close();
    }
  } finally {
    await pit?.drop();
  }
}

/** retro --engine clickhouse: the same run, metrics and files as runRetro on one machine. */
export async function runRetroOnCluster(c: ClickHouseCluster, warehouse: Database, opts: RetroOptions): Promise<RetroResult> {
  return withPointInTimeSession(c, warehouse, 'retro', opts.from, opts.to, opts.thresholds, async (session, baselines) => {
    const { out, ...rest } = opts;
    const made = await runRetro(session, { ...rest, baselines });
    const run = { ...made.run, run_id: await publishRun(warehouse, session, made.run.run_id, RETRO_RUN_TABLES) };
    const files = out ? await writeRetroOutputs(warehouse, run, made.metrics, out) : [];
    return { run, metrics: made.metrics, files };
  });
}

/** tune --engine clickhouse: runTune on the pulled session (one scoring pass, every grid point). */
export async function runTuneOnCluster(c: ClickHouseCluster, warehouse: Database, opts: Parameters<typeof runTune>[1]): Promise<TuneResult> {
  return withPointInTimeSession(c, warehouse, 'tune', opts.from, opts.to, opts.base, (session) => runTune(session, opts));
}

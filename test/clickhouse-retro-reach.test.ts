import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { resolveThresholds } from '../pipeline/config.js';
import type { Database } from '../pipeline/db.js';
import { ClickHouseCluster } from '../pipeline/engine/clickhouse/cluster.js';
import type { LocalCluster } from '../pipeline/engine/clickhouse/local-cluster.js';
import { startLocalCluster } from '../pipeline/engine/clickhouse/local-cluster.js';
import { runNightlyOnCluster } from '../pipeline/engine/clickhouse/nightly.js';
import { runRetroOnCluster } from '../pipeline/engine/clickhouse/retro-tune.js';
import { createClickHouseSchema } from '../pipeline/engine/clickhouse/stages.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { runRetro } from '../pipeline/retro/run-retro.js';
import { memoryDb, tempDir } from './helpers.js';

/**
 * A rebuilt retro on the cluster (retro-tune.ts) rebuilds and scores the days its context windows
 * reach before the period, as DuckDB's (point-in-time/baselines.ts) does: found by review helper-55
 * after 7b47f4b widened DuckDB's alone (clickhouse-cluster.test.ts compares the engines only from
 * the fleet's first day, where there is nothing before). Here the period starts on the third day.
 */
describe('a rebuilt retro that starts after the first day, DuckDB against the cluster', () => {
  let servers: LocalCluster;
  let cluster: ClickHouseCluster;
  let duck: Database;
  let warehouse: Database;
  let days: string[];

  beforeAll(async () => {
    const fleet = tempDir();
    [servers, { days }] = await Promise.all([
      startLocalCluster({ shards: 2 }),
      generateFleet({ ...GENERATE_DEFAULTS, hosts: 8, days: 5, out: fleet, attackRate: 0.1 }),
    ]);
    duck = await memoryDb();
    warehouse = await memoryDb();
    await runNightly(duck, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    cluster = await ClickHouseCluster.connect({ urls: servers.urls });
    await createClickHouseSchema(cluster);
    await runNightlyOnCluster(cluster, warehouse, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
  }, 600_000);
  afterAll(async () => {
    await cluster?.close();
    duck?.close();
    warehouse?.close();
    await servers?.stop();
  });

  const items = (db: Database, runId: number) => db.all(
    `SELECT r.alert_id, i.item_no, i.category, i.reason, i.event_ids FROM context_reports r JOIN context_report_items i USING (run_id, report_id)
     WHERE r.run_id = $1 ORDER BY ALL`, [runId]);

  for (const [name, t] of [
    ['another baseline window, default windows', resolveThresholds({ baseline: { window_days: 2 } })],
    ['another baseline window, process windows of two days', resolveThresholds({ baseline: { window_days: 2 }, windows: { process_before_minutes: 2 * 24 * 60 } })],
  ] as const) {
    it(`${name}: the cluster's rebuilt retro from the third day equals DuckDB's`, async () => {
      const period = { from: days[2]!, to: days.at(-1)!, thresholds: t };
      const a = await runRetro(duck, period);
      const b = await runRetroOnCluster(cluster, warehouse, period);
      expect([a.run.baselines, b.run.baselines]).toEqual(['rebuilt', 'rebuilt']);
      const [x, y] = [await items(duck, a.run.run_id), await items(warehouse, b.run.run_id)];
      expect(x.length).toBeGreaterThan(0);
      expect(y).toEqual(x);
    }, 300_000);
  }
});

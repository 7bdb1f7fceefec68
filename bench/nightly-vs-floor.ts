// One nightly day against the floor: DuckDB alone reading the same day's events with one GROUP BY
// on command_line. Usage: tsx bench/nightly-vs-floor.ts FLEET_DIR DAY   (a generated fleet)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/baseline/nightly.js';
import { withDatabase } from '../pipeline/db.js';
import { groupByFloor } from './floors.js';

const [fleet, day] = process.argv.slice(2);
if (!fleet || !day) throw new Error('usage: tsx bench/nightly-vs-floor.ts FLEET_DIR DAY');
const file = join(fleet, day, 'process_events.parquet');

const floor = await groupByFloor(file);

const dbPath = '/tmp/bench-nightly.duckdb';
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
const t = performance.now();
const stages = await withDatabase(dbPath, async (db) => (await runNightly(db, { date: day, input: fleet, thresholds: DEFAULT_THRESHOLDS })).stages);
const nightlySeconds = (performance.now() - t) / 1000;
console.log(JSON.stringify({
  day, events: floor.events, floor_seconds: floor.seconds, nightly_seconds: +nightlySeconds.toFixed(2),
  ratio: +(nightlySeconds / floor.seconds).toFixed(1),
  stages: stages.map((s) => ({ stage: s.stage, rows: s.rows, seconds: s.seconds })),
}, null, 2));

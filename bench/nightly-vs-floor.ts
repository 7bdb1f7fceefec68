// One nightly day against the floor: DuckDB alone reading the same day's events with one GROUP BY
// on command_line. Usage: tsx bench/nightly-vs-floor.ts FLEET_DIR DAY   (a generated fleet)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/baseline/nightly.js';
import { withDatabase } from '../pipeline/db.js';

const [fleet, day] = process.argv.slice(2);
if (!fleet || !day) throw new Error('usage: tsx bench/nightly-vs-floor.ts FLEET_DIR DAY');
const file = join(fleet, day, 'process_events.parquet');

const floorDb = await DuckDBInstance.create(':memory:');
const c = await floorDb.connect();
let t = performance.now();
const floorRows = (await c.runAndReadAll('SELECT count(*) AS groups, sum(n) AS events FROM (SELECT command_line, count(*) AS n FROM read_parquet($1) GROUP BY command_line)', [file])).getRowObjectsJS()[0];
const floorSeconds = (performance.now() - t) / 1000;
c.closeSync();
floorDb.closeSync();

const dbPath = '/tmp/bench-nightly.duckdb';
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
t = performance.now();
const stages = await withDatabase(dbPath, async (db) => (await runNightly(db, { date: day, input: fleet, thresholds: DEFAULT_THRESHOLDS })).stages);
const nightlySeconds = (performance.now() - t) / 1000;
console.log(JSON.stringify({
  day, events: Number(floorRows!['events']), floor_seconds: +floorSeconds.toFixed(2), nightly_seconds: +nightlySeconds.toFixed(2),
  ratio: +(nightlySeconds / floorSeconds).toFixed(1),
  stages: stages.map((s) => ({ stage: s.stage, rows: s.rows, seconds: s.seconds })),
}, null, 2));

// One nightly day against the floor: DuckDB alone reading the same day's events with one GROUP BY
// on command_line, and the nightly's detect stage against the rest of the run. Usage: tsx bench/nightly-vs-floor.ts FLEET_DIR DAY   (a generated fleet)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { withDatabase } from '../pipeline/db.js';
import { loadDetectConfig } from '../pipeline/sigma/detect-config.js';
import { ruleSetOf } from '../pipeline/sigma/detect-period.js';
import { referenceFor } from '../pipeline/sigma/run-detect.js';
import { groupByFloor } from './floors.js';

const [fleet, day] = process.argv.slice(2);
if (!fleet || !day) throw new Error('usage: tsx bench/nightly-vs-floor.ts FLEET_DIR DAY');
const file = join(fleet, day, 'process_events.parquet');

const floor = await groupByFloor(file);

const dbPath = '/tmp/bench-nightly.duckdb';
rmSync(dbPath, { force: true });
rmSync(`${dbPath}.wal`, { force: true });
// The nightly command's detect stage: every compiled rule of the default rules folder and selection.
const config = loadDetectConfig();
const detect = { rules: ruleSetOf(config), reference: referenceFor(config.rules) };
const t = performance.now();
const stages = await withDatabase(dbPath, async (db) => (await runNightly(db, { date: day, input: fleet, thresholds: DEFAULT_THRESHOLDS, detect })).stages);
const nightlySeconds = (performance.now() - t) / 1000;
const detectSeconds = stages.find((s) => s.stage === 'detect')?.seconds ?? 0;
console.log(JSON.stringify({
  day, events: floor.events, floor_seconds: floor.seconds, nightly_seconds: +nightlySeconds.toFixed(2),
  ratio: +(nightlySeconds / floor.seconds).toFixed(1),
  detect_seconds: +detectSeconds.toFixed(2), rest_of_nightly_seconds: +(nightlySeconds - detectSeconds).toFixed(2),
  detect_ratio: +(detectSeconds / (nightlySeconds - detectSeconds)).toFixed(2),
  stages: stages.map((s) => ({ stage: s.stage, rows: s.rows, seconds: s.seconds })),
}, null, 2));

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** Real OTRF captures kept in the repository (test/fixtures/otrf/README.md). */
export const OTRF = join(FIXTURES, 'otrf');
/** The evaluation set's captures: the atomic captures the tests load beside OTRF (not stored twice). */
export const OTRF_ATOMIC = join(ROOT, 'eval', 'otrf', 'captures');
/** Everything the OTRF tests load: the captures and the atomic history. */
export const OTRF_INPUTS = [OTRF, OTRF_ATOMIC];

/** A real DuckDB database in memory, schema in place, time zone pinned to UTC. */
export function memoryDb(): Promise<Database> {
  return Database.open(':memory:');
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's directory for temporary files (test/global-setup.mjs), removed when the run ends. */
    testTmp: string;
  }
}

/** A fresh directory under the run's temporary directory (the system's outside vitest's run). */
export function tempDir(prefix = 'ac-test-'): string {
  return mkdtempSync(join(inject('testTmp') || tmpdir(), prefix));
}

/** A small generated fleet (12 hosts, 8 days, attacks on a tenth of host-days) run by nightly into a fresh in-memory database. */
export async function scoredFleet(): Promise<{ db: Database; days: string[]; fleet: string }> {
  const fleet = tempDir();
  const days = (await generateFleet({ ...GENERATE_DEFAULTS, hosts: 12, days: 8, out: fleet, attackRate: 0.1 })).days;
  const db = await memoryDb();
  await runNightly(db, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
  return { db, days, fleet };
}

/** Run bin/alert-context in a child process: its exit code, stdout and stderr. */
export function runCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  // a hang (as --out under /proc once did) fails the test after 10 minutes instead of blocking the run
  const r = spawnSync(join(ROOT, 'bin', 'alert-context'), args, { encoding: 'utf8', cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, timeout: 600_000, killSignal: 'SIGKILL' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small seeded generator (mulberry32): the same trials every run, a failing seed replayable. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);

/** Every file below dir (relative paths, sorted), leaving out the database and its spill folder. */
function outputFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith('warehouse.duckdb'))
    .sort();
}

describe('same input, same bytes', () => {
  it('the demo pipeline run twice, in two processes, writes identical output files', async () => {
    const outs = [tempDir(), tempDir()];
    // Two separate processes, one after the other (each has both cores: thread scheduling differs run to run).
    for (const out of outs) {
      await run(join(ROOT, 'bin', 'alert-context'), ['demo', '--out', out, '--hosts', '12', '--days', '5', '--seed', '11', '--json'],
        { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
    }
    const [a, b] = outs.map(outputFiles) as [string[], string[]];
    expect(a.length).toBeGreaterThan(20);
    expect(b).toEqual(a);
    // The files users compare and ingest: reports, SIEM records, metrics, tune table, weekly views, the fleet.
    for (const f of ['context/reports.ndjson', 'context/security_alerts.ndjson', 'retro/metrics.csv', 'retro/metrics.parquet', 'tune/tune.csv']) {
      expect(a, f).toContain(f);
    }
    const differing = a.filter((f) => !readFileSync(join(outs[0]!, f)).equals(readFileSync(join(outs[1]!, f))));
    expect(differing).toEqual([]);
    const reports = readFileSync(join(outs[0]!, 'context', 'reports.ndjson'), 'utf8').trim().split('\n');
    expect(reports.length).toBeGreaterThan(0);
  });
});

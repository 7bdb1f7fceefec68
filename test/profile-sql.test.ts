import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, tempDir } from './helpers.js';

/**
 * AC_PROFILE_SQL=DIR (pipeline/db.ts, docs/performance.md): DuckDB's JSON profile of every
 * statement a command runs that DuckDB profiles, named by its place in the order they ran (the line
 * of AC_TRACE_SQL's timings it matches).
 */
describe('AC_PROFILE_SQL', () => {
  it('writes one JSON profile per statement, numbered in order, each naming its statement', () => {
    const dir = join(tempDir(), 'profiles');
    const db = join(tempDir(), 'w.duckdb');
    const r = spawnSync(join(ROOT, 'bin', 'alert-context'), ['load', '--db', db, '--quiet', '--input', join(FIXTURES, 'sentinel')], {
      encoding: 'utf8', cwd: ROOT, env: { ...process.env, TZ: 'UTC', AC_PROFILE_SQL: dir, AC_TRACE_SQL: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    const traced = r.stderr.split('\n').filter((l) => l.startsWith('[sql ')).map((l) => l.replace(/^\[sql [\d.]+ s\] /, ''));
    const files = readdirSync(dir).sort();
    // DuckDB profiles the statements that run a query plan (not SET, nor CREATE MACRO): a file is
    // named by the statement's place among all of them, the line of AC_TRACE_SQL it matches
    expect(files.length).toBeGreaterThan(10);
    let compared = 0;
    for (const f of files) {
      const n = Number(f.replace('.json', ''));
      expect(n).toBeLessThanOrEqual(traced.length);
      const query = String(JSON.parse(readFileSync(join(dir, f), 'utf8')).query_name ?? '').replace(/\s+/g, ' ').trim();
      const line = traced[n - 1]!;
      if (line.startsWith('(statement ')) continue; // (a script's statement: the trace shows the script's start)
      expect(query.startsWith(line), `${f}: ${line}`).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    // the load's insert of the stored rows, with its operators
    const insert = files.find((f) => /INSERT INTO\s+"?(main"?\.)?"?process_events/i.test(String(JSON.parse(readFileSync(join(dir, f), 'utf8')).query_name)));
    expect(insert).toBeDefined();
    const profile = JSON.parse(readFileSync(join(dir, insert!), 'utf8'));
    expect(profile.children.length).toBeGreaterThan(0);
    expect(profile.children[0].operator_timing).toBeTypeOf('number');
    // the planner's share: binding and optimizers, each optimizer by name
    // (and DuckDB's defaults kept beside them: rows scanned, bytes written)
    for (const metric of ['latency', 'cpu_time', 'cumulative_rows_scanned', 'total_bytes_written',
      'planner', 'planner_binding', 'all_optimizers', 'optimizer_common_subexpressions']) {
      expect(profile[metric], metric).toBeTypeOf('number');
    }
  });
});

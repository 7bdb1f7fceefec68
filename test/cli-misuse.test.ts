import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tempDir } from './helpers.js';
import { hostileFleet } from './hostile-fleet.js';
import { InputFileError, outOfMemoryMessage } from '../pipeline/errors.js';

const run = runCli;

describe('misuse of --db', () => {
  it('a --db that is not a DuckDB database (an NDJSON file) is refused, and left as it was', () => {
    const file = join(tempDir(), 'events.ndjson');
    const text = readFileSync(join(FIXTURES, 'canonical', 'process_events.ndjson'), 'utf8');
    writeFileSync(file, text);
    const r = run('load', '--db', file, '--input', join(FIXTURES, 'canonical'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`alert-context: database ${file}: is not a DuckDB database file; refused (name a new path or an existing database)`);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const dir = tempDir();
    expect(run('context', '--db', dir, '--from', '2026-11-01').stderr.trim()).toBe(`alert-context: database ${dir}: is not a file (a DuckDB database file is expected)`);
  });

  it('context, retro, tune and weekly say there is no database, and create neither it nor its folder', () => {
    const parent = join(tempDir(), 'no', 'such');
    const db = join(parent, 'w.duckdb');
    const commands = [
      ['context', '--from', '2026-11-01'], ['context', '--alert-id', 'a-1'], ['retro', '--from', '2026-11-01', '--to', '2026-11-02'],
      ['retro', '--compare', '1', '2'], ['tune', '--from', '2026-11-01', '--to', '2026-11-02', '--grid', 'rarity.max_fleet_hosts=1,2'],
      ['weekly', '--week', '2026-W47'],
    ];
    for (const args of commands) {
      const r = run(...args, '--db', db);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim(), args.join(' ')).toBe(`alert-context: database ${db}: no such database: load telemetry or run nightly first (this command does not create one)`);
      expect(existsSync(join(parent, '..')), args.join(' ')).toBe(false);
    }
  });

  it('a failed first load leaves no new database file (nor the folder it made)', () => {
    const dir = tempDir();
    const bad = join(dir, 'process_events.ndjson.gz');
    writeFileSync(bad, 'not gzip at all');
    const db = join(dir, 'new', 'w.duckdb');
    const r = run('load', '--db', db, '--input', bad);
    expect(r.code).toBe(2);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.wal`)).toBe(false);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    // An existing database stays when a load into it fails.
    expect(run('load', '--db', db, '--input', join(FIXTURES, 'canonical')).code).toBe(0);
    expect(run('load', '--db', db, '--input', bad).code).toBe(2);
    expect(existsSync(db)).toBe(true);
  });
});

describe('values that are accepted but wrong', () => {
  it('out of memory is told from other errors by DuckDB\'s own error, not by text that quotes it', () => {
    const oom = new Error('Out of Memory Error: could not allocate block of size 256.0 KiB (762.7 MiB/762.9 MiB used)\n\nPossible solutions: ...');
    expect(outOfMemoryMessage(oom, '800MB')).toBe(
      'out of memory with --memory-limit 800MB (DuckDB: could not allocate block of size 256.0 KiB (762.7 MiB/762.9 MiB used)); rerun with a larger --memory-limit');
    // A file whose content quotes the phrase is still a bad file (exit 2), not out of memory.
    expect(outOfMemoryMessage(new InputFileError('x.ndjson', "value 'Out of Memory Error: no' is not a date", 3), '1GB')).toBeUndefined();
    expect(outOfMemoryMessage(new InputFileError('x.ndjson', 'cannot be read as json-lines: Out of Memory Error: a', undefined, new Error('Out of Memory Error: a')), '1GB'))
      .toBe('out of memory with --memory-limit 1GB while reading x.ndjson (DuckDB: a); rerun with a larger --memory-limit');
    // Spilling itself failed: the advice is room where it spills.
    expect(outOfMemoryMessage(new Error("Out of Memory Error: failed to offload data block of size 256.0 KiB (1.0 GiB/1.0 GiB used). This limit was set by the 'max_temp_directory_size' setting."), '1GB'))
      .toMatch(/; free space where it spills \(--temp-dir\) or rerun with a larger --memory-limit$/);
    expect(outOfMemoryMessage(new Error('Binder Error: Out of Memory Error: quoted'), '1GB')).toBeUndefined();
  });
  it('running out of memory within --memory-limit is said so, with the limit and the file, exit 3 (not a bad file)', () => {
    const dir = tempDir();
    const db = join(dir, 'w.duckdb');
    const file = join(FIXTURES, 'otrf', readdirSync(join(FIXTURES, 'otrf')).filter((f) => f.endsWith('.json.gz')).sort()[0]!);
    const r = run('load', '--db', db, '--memory-limit', '4MB', '--input', file);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^alert-context: out of memory with --memory-limit 4MB while reading ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(DuckDB: .*allocate.*\\); rerun with a larger --memory-limit$`));
    // The same load within a workable limit passes.
    expect(run('load', '--db', db, '--memory-limit', '256MB', '--input', file).code).toBe(0);
  });
  it('context and retro running out of memory within --memory-limit say so, exit 3 (a cleanup in the aborted transaction hid it: exit 1)', async () => {
    const { dbPath, days } = await hostileFleet();
    for (const args of [['context', '--from', days.at(-1)!], ['retro', '--from', days[0]!, '--to', days.at(-1)!]]) {
      const r = run(...args, '--db', dbPath, '--memory-limit', '16MB');
      expect(r.code, args[0]).toBe(3);
      expect(r.stderr.trim().split('\n'), args[0]).toEqual([expect.stringMatching(/^alert-context: out of memory with --memory-limit 16MB \(DuckDB: .*\); rerun with a larger --memory-limit$/)]);
    }
  });
  it('--out naming an existing file is refused with exit 2 before any work', () => {
    const file = join(tempDir(), 'report.txt');
    writeFileSync(file, 'keep me');
    for (const args of [['context', '--from', '2026-11-01'], ['nightly', '--date', '2026-11-01'], ['generate'], ['weekly']]) {
      const r = run(...args, '--db', join(tempDir(), 'w.duckdb'), '--out', file);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr.trim(), args[0]).toBe(`alert-context: --out: ${file} is a file, not a directory: name a folder`);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    // a file on the way, a place no folder can be made (it looped forever under /proc), an empty name:
    // refused before any work, nothing stored
    const db = join(tempDir(), 'w.duckdb');
    for (const [out, says] of [[join(file, 'sub'), `${join(file, 'sub')}: ${file} is a file, not a directory`], ['/proc/ac-out', '/proc/ac-out cannot be written: '], ['', 'empty: name a folder']] as const) {
      const r = run('generate', '--hosts', '2', '--days', '1', '--out', out);
      expect(r.code, out).toBe(2);
      expect(r.stderr.trim(), out).toContain(`alert-context: --out: ${says}`);
      expect(run('weekly', '--db', db, '--out', out).code, out).toBe(2);
    }
    expect(existsSync(db)).toBe(false);
    // a run refused for another reason leaves no --out folder behind (the check makes none)
    const out = join(tempDir(), 'x', 'y');
    expect(run('nightly', '--db', db, '--date', '2026-13-01', '--out', out).code).toBe(2);
    expect(existsSync(join(out, '..'))).toBe(false);
  });

  // Root ignores file modes: a read-only mount is the only read-only folder it has.
  const root = process.getuid?.() === 0;
  it.runIf(root)('a database in a read-only folder gets exit 2 and one clear line', () => {
    const mnt = tempDir();
    spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    try {
      expect(run('load', '--db', join(mnt, 'w.duckdb'), '--input', join(FIXTURES, 'canonical')).code).toBe(0);
      expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
      for (const db of [join(mnt, 'w.duckdb'), join(mnt, 'new.duckdb')]) {
        const r = run('load', '--db', db, '--input', join(FIXTURES, 'canonical'));
        expect(r.code, db).toBe(2);
        expect(r.stderr.trim(), db).toMatch(new RegExp(`^alert-context: database ${db}: cannot be opened for writing: the file or its folder ${mnt} is read-only`));
      }
      const sub = run('load', '--db', join(mnt, 'sub', 'w.duckdb'), '--input', join(FIXTURES, 'canonical'));
      expect(sub.code).toBe(2);
      expect(sub.stderr.trim()).toMatch(/^alert-context: database .*: cannot create its folder .* \(read-only or not writable\)/);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

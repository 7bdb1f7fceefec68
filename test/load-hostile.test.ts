import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { createGzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { InputFileError, OptionError } from '../pipeline/errors.js';
import { dayInput, nightlyDays } from '../pipeline/jobs/nightly.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { FIXTURES, memoryDb, tempDir } from './helpers.js';

/** n canonical process events, one per line, on 2026-11-01. */
export function processLines(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): string[] {
  return Array.from({ length: n }, (_, i) => JSON.stringify({
    event_id: `pe-${i}`, ts: `2026-11-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    host: 'ws1', image: `C:\\tools\\t${i}.exe`, command_line: `t${i}.exe --run ${i}`, process_id: 1000 + i, ...extra(i),
  }));
}

/** A gzip of `lines` flushed after the first `cutAfter` lines, and the compressed length at that point. */
async function gzipWithFlush(lines: string[], cutAfter: number): Promise<{ gz: Buffer; cutAt: number }> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on('data', (c: Buffer) => chunks.push(c));
  const flushed = () => new Promise<void>((resolve) => gzip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  gzip.write(lines.slice(0, cutAfter).map((l) => `${l}\n`).join(''));
  await flushed();
  const cutAt = Buffer.concat(chunks).length;
  gzip.end(lines.slice(cutAfter).map((l) => `${l}\n`).join(''));
  await new Promise((resolve) => gzip.on('end', resolve));
  return { gz: Buffer.concat(chunks), cutAt };
}

describe('hostile input files', () => {
  let db: Database;
  let dir: string;
  beforeEach(async () => {
    db = await memoryDb();
    dir = tempDir();
  });
  afterEach(() => db.close());

  const stored = async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM process_events')).n;

  it('a gzip cut at a line boundary, cut mid-stream or missing its CRC trailer is refused whole: nothing loaded', async () => {
    const lines = processLines(200);
    const { gz, cutAt } = await gzipWithFlush(lines, 100);
    const full = gzipSync(lines.join('\n') + '\n');
    const cases = {
      'line-boundary/process_events.ndjson.gz': gz.subarray(0, cutAt),
      'mid-stream/process_events.ndjson.gz': full.subarray(0, Math.floor(full.length / 2)),
      'no-crc/process_events.ndjson.gz': full.subarray(0, full.length - 8),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = join(dir, name);
      execFileSync('mkdir', ['-p', join(file, '..')]);
      writeFileSync(file, bytes);
      const err = await loadFiles(db, { inputs: [file], format: 'auto' }).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(InputFileError);
      expect((err as Error).message, name).toMatch(/^.*process_events\.ndjson\.gz: not a complete gzip file/);
      expect(await stored(), name).toBe(0);
    }
    // The whole file loads all 200.
    writeFileSync(join(dir, 'process_events.ndjson.gz'), full);
    const s = await loadFiles(db, { inputs: [join(dir, 'process_events.ndjson.gz')], format: 'auto' });
    expect(s.totals.loaded.process_events).toBe(200);
  });

  // Shapes of real files that auto-detection, the readers or the duplicate check mishandled (found
  // by an audit): each was skipped, misread, or ended the load with an internal error (exit 1).
  const sentinelRows = () => readFileSync(join(FIXTURES, 'sentinel', 'SecurityEvent.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  it('auto-detects a JSON array on one line or pretty-printed, a first record longer than the first peek (in bytes), and one nested thousands deep', async () => {
    const rows = sentinelRows();
    writeFileSync(join(dir, 'compact.json'), JSON.stringify(rows));
    writeFileSync(join(dir, 'pretty.json'), JSON.stringify(rows, null, 2)); // objects close with "\n  }"
    const long = rows.map((r, i) => (i === 0 ? { ...r, CommandLine: `cmd.exe /c echo ${'x'.repeat(300_000)}` } : r));
    writeFileSync(join(dir, 'long.json'), long.map((r) => JSON.stringify(r)).join('\n'));
    // 2 MB in 1 M characters: the peek grows by the bytes it read, not by the text's length
    const wide = rows.map((r, i) => (i === 0 ? { ...r, CommandLine: `cmd.exe /c echo ${'ж'.repeat(1_000_000)}` } : r));
    writeFileSync(join(dir, 'wide.json'), wide.map((r) => JSON.stringify(r)).join('\n'));
    const deep = `${JSON.stringify(rows[0]).slice(0, -1)}, "deep": ${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    writeFileSync(join(dir, 'deep.json'), [deep, ...rows.slice(1).map((r) => JSON.stringify(r))].join('\n'));
    const s = await loadFiles(db, { inputs: [dir], format: 'auto' });
    expect(s.skippedFiles).toEqual([]);
    expect(s.files.map((f) => [f.file.split('/').pop(), f.format, f.read])).toEqual([
      ['compact.json', 'sentinel', 5], ['deep.json', 'sentinel', 5], ['long.json', 'sentinel', 5], ['pretty.json', 'sentinel', 5], ['wide.json', 'sentinel', 5],
    ]);
  });

  it('a .GZ in capitals is read as gzip', async () => {
    writeFileSync(join(dir, 'process_events.ndjson.GZ'), gzipSync(`${processLines(40).join('\n')}\n`));
    const s = await loadFiles(db, { inputs: [dir], format: 'auto' });
    expect(s.totals).toMatchObject({ read: 40, rejected: 0, loaded: { process_events: 40 } });
  });

  it('in a directory, a symbolic link to nothing or back to a parent is listed as skipped; every file is read once', async () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'process_events.ndjson'), `${processLines(3).join('\n')}\n`);
    symlinkSync(dir, join(dir, 'sub', 'up'));
    symlinkSync(join(dir, 'gone.json'), join(dir, 'dangling.json'));
    const s = await loadFiles(db, { inputs: [dir], format: 'auto' });
    expect(s.files.map((f) => [f.file.slice(dir.length), f.read])).toEqual([['/sub/process_events.ndjson', 3]]);
    expect(s.skippedFiles).toEqual([
      { file: join(dir, 'dangling.json'), reason: 'a symbolic link that points to nothing: not read' },
      { file: join(dir, 'sub', 'up'), reason: 'a directory already read (reached again through a symbolic link, or named twice): not read again' },
    ]);
    // named on the command line, a link to nothing is an error naming it
    await expect(loadFiles(db, { inputs: [join(dir, 'dangling.json')], format: 'auto' })).rejects.toThrow(`${join(dir, 'dangling.json')}: no such file or directory`);
  });

  it('an alert sent again with another time is a duplicate, not a failed load', async () => {
    const alert = (ts: string) => `${JSON.stringify({ alert_id: 'a-1', ts, alert_name: 'x', host: 'ws1' })}\n`;
    writeFileSync(join(dir, 'alerts.ndjson'), alert('2026-11-01T10:00:00Z'));
    await loadFiles(db, { inputs: [dir], format: 'auto' });
    const later = tempDir();
    writeFileSync(join(later, 'alerts.ndjson'), alert('2026-11-01T13:00:00Z'));
    const s = await loadFiles(db, { inputs: [later], format: 'auto' });
    expect(s.totals).toMatchObject({ read: 1, duplicates: 1, loaded: { alerts: 0 } });
    expect(await db.all('SELECT alert_id, ts::VARCHAR AS ts FROM alerts')).toEqual([{ alert_id: 'a-1', ts: '2026-11-01 10:00:00' }]);
  });

  it('a UTC offset of hours alone beyond the real ones is rejected, not added to the time', async () => {
    const offsets = ['+25', '+99', '+05', '-12'];
    writeFileSync(join(dir, 'process_events.ndjson'), processLines(4, (i) => ({ ts: `2026-11-01T10:00:00${offsets[i]}` })).join('\n'));
    const s = await loadFiles(db, { inputs: [dir], format: 'auto' });
    expect(s.totals).toMatchObject({ read: 4, rejected: 2 });
    expect(await db.all('SELECT line::INTEGER AS line, reason FROM rejects ORDER BY line')).toEqual([
      { line: 1, reason: "ts '2026-11-01T10:00:00+25' is not a valid time" },
      { line: 2, reason: "ts '2026-11-01T10:00:00+99' is not a valid time" },
    ]);
    expect(await db.all('SELECT ts::VARCHAR AS ts FROM process_events ORDER BY ts')).toEqual([{ ts: '2026-11-01 05:00:00' }, { ts: '2026-11-01 22:00:00' }]);
  });

  it('a host given as a JSON object or array, or as a bare dot, is rejected with its reason, not made a host key', async () => {
    const hosts: unknown[] = [{ name: 'wks-1' }, ['wks-1'], '.', 'WKS-1.corp.local'];
    writeFileSync(join(dir, 'process_events.ndjson'), processLines(4, (i) => ({ host: hosts[i] })).join('\n'));
    const s = await loadFiles(db, { inputs: [dir], format: 'auto' });
    expect(s.totals).toMatchObject({ read: 4, rejected: 3, loaded: { process_events: 1 } });
    expect(await db.all('SELECT line::INTEGER AS line, reason FROM rejects ORDER BY line')).toEqual([
      { line: 1, reason: `host '{"name":"wks-1"}' is not a valid host` },
      { line: 2, reason: `host '["wks-1"]' is not a valid host` },
      { line: 3, reason: 'missing host (host)' },
    ]);
    expect(await db.all('SELECT host FROM process_events')).toEqual([{ host: 'wks-1' }]);
  });

  it('a Parquet file damaged inside a data page is bad input naming the file (exit 2), and nothing is stored', async () => {
    const file = join(dir, 'process_events.parquet');
    await db.run(`COPY (SELECT 'pe-' || i AS event_id, TIMESTAMP '2026-11-01 10:00:00' + INTERVAL (i) SECOND AS ts, 'ws1' AS host,
                         'C:\\t' || i || '.exe' AS image, md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS command_line
                  FROM range(50000) t(i)) TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`);
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    for (let i = 0; i < 4096; i++) bytes[at + i] = (i * 131 + 7) & 0xff;
    writeFileSync(file, bytes);
    const err = await loadFiles(db, { inputs: [file], format: 'auto' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputFileError);
    expect((err as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot be read as parquet: `));
    expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM process_events')).n).toBe(0);
  });

  it('nightly --input laid out in day folders: a day without one loads nothing and is named, never the whole folder again', () => {
    mkdirSync(join(dir, '2026-11-01'));
    mkdirSync(join(dir, '2026-11-03'));
    expect(dayInput(dir, '2026-11-01')).toBe(join(dir, '2026-11-01'));
    expect(dayInput(dir, '2026-11-02')).toBeNull();
    expect(nightlyDays({ date: '2026-11-01', to: '2026-11-03', input: dir })).toMatchObject({
      inputs: [join(dir, '2026-11-01'), undefined, join(dir, '2026-11-03')], missingDays: ['2026-11-02'],
    });
    const flat = tempDir();
    expect(dayInput(flat, '2026-11-02')).toBe(flat); // one day's files, no day folders
    expect(() => dayInput(join(flat, 'nowhere'), '2026-11-02')).toThrow(OptionError);
  });
});

describe('files that are not regular files', () => {
  it('a FIFO named as input or found in a directory is listed as skipped, never opened (it would block)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'process_events.ndjson'), processLines(3).join('\n') + '\n');
    execFileSync('mkfifo', [join(dir, 'pipe.ndjson')]);
    const db = await memoryDb();
    try {
      const inDir = await loadFiles(db, { inputs: [dir], format: 'auto' });
      expect(inDir.totals.loaded.process_events).toBe(3);
      expect(inDir.skippedFiles).toEqual([{ file: join(dir, 'pipe.ndjson'), reason: 'a FIFO (named pipe), not a regular file: not read' }]);
      const named = await loadFiles(db, { inputs: [join(dir, 'pipe.ndjson')], format: 'winevent' });
      expect(named.files).toEqual([]);
      expect(named.skippedFiles.map((f) => f.reason)).toEqual(['a FIFO (named pipe), not a regular file: not read']);
      const device = await loadFiles(db, { inputs: ['/dev/zero'], format: 'auto' });
      expect(device.skippedFiles.map((f) => f.reason)).toEqual(['a character device, not a regular file: not read']);
    } finally {
      db.close();
    }
  });
});

describe('values that are accepted but wrong', () => {
  it('implausible times, impossible UTC offsets, fractional and 33-bit process ids are rejected; canonical names match exactly', async () => {
    const dir = tempDir();
    const rows: [string, string, unknown][] = [
      ['pe-ok', '2026-11-01T10:00:00Z', 100], ['pe-1601', '1601-01-01T00:00:00Z', 101], ['pe-0001', '0001-01-01T00:00:00Z', 102],
      ['pe-9999', '9999-12-31T00:00:00Z', 103], ['pe-off25', '2026-11-01T10:00:00+25:00', 104], ['pe-off2', '2026-11-01T10:00:00+02:00', 105],
      ['pe-pid37', '2026-11-01T10:00:00Z', '3.7'], ['pe-pid33', '2026-11-01T10:00:00Z', 4294967296], ['pe-pidmax', '2026-11-01T10:00:00Z', 4294967295],
      ['pe-hex', '2026-11-01T10:00:00Z', '0x1a2c'], ['pe-float', '2026-11-01T10:00:00Z', 3.7],
    ];
    writeFileSync(join(dir, 'process_events.ndjson'), rows.map(([id, ts, pid]) => JSON.stringify({ event_id: id, ts, host: 'ws1', image: 'C:\\x\\a.exe', process_id: pid })).join('\n') + '\n');
    writeFileSync(join(dir, 'my_alerts_backup.ndjson'), JSON.stringify({ alert_id: 'x', ts: '2026-11-01T10:00:00Z', alert_name: 'n', host: 'ws1' }) + '\n');
    const db = await memoryDb();
    try {
      const s = await loadFiles(db, { inputs: [dir], format: 'auto', timeRange: { earliest: new Date('2000-01-01T00:00:00Z'), latest: new Date('2026-11-30T00:00:00Z') } });
      expect(s.skippedFiles).toEqual([{ file: join(dir, 'my_alerts_backup.ndjson'), reason: 'fields of no known format in its first record' }]);
      expect(await db.all('SELECT line, reason FROM rejects ORDER BY line')).toEqual([
        { line: 2, reason: "ts '1601-01-01T00:00:00Z' is outside the plausible range 2000-01-01 .. 2026-11-30" },
        { line: 3, reason: "ts '0001-01-01T00:00:00Z' is outside the plausible range 2000-01-01 .. 2026-11-30" },
        { line: 4, reason: "ts '9999-12-31T00:00:00Z' is outside the plausible range 2000-01-01 .. 2026-11-30" },
        { line: 5, reason: "ts '2026-11-01T10:00:00+25:00' is not a valid time" },
        { line: 7, reason: "process_id '3.7' is not a valid pid" },
        { line: 8, reason: "process_id '4294967296' is not a valid pid" },
        { line: 11, reason: "process_id '3.7' is not a valid pid" },
      ]);
      expect(await db.all(`SELECT event_id, strftime(ts, '%H:%M') AS t, process_id FROM process_events ORDER BY event_id`)).toEqual([
        { event_id: 'pe-hex', t: '10:00', process_id: 6700 }, { event_id: 'pe-off2', t: '08:00', process_id: 105 },
        { event_id: 'pe-ok', t: '10:00', process_id: 100 }, { event_id: 'pe-pidmax', t: '10:00', process_id: 4294967295 },
      ]);
    } finally {
      db.close();
    }
  });
});

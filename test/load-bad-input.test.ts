import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { InputFileError } from '../pipeline/errors.js';
import { loadFiles } from '../pipeline/load/load-files.js';
import { FIXTURES, memoryDb, tempDir } from './helpers.js';

const BAD = join(FIXTURES, 'bad', 'winevent_bad.jsonl');

describe('bad input', () => {
  let db: Database;
  beforeEach(async () => {
    db = await memoryDb();
  });
  afterEach(() => db.close());

  it('rejects each broken row with its line and reason, and loses nothing', async () => {
    const s = await loadFiles(db, { inputs: [BAD], format: 'winevent' });
    const f = s.files[0]!;
    expect(f).toMatchObject({
      read: 18, // 19 lines, one blank
      loaded: { process_events: 3, logon_events: 1, alerts: 0, labels: 0 },
      skipped: 1, // EventID 5156
      rejected: 11,
      duplicates: 2, // a repeated line, and the 4688 twin of a Sysmon 1 event
      truncated: 1,
    });
    expect(f.read).toBe(f.loaded.process_events + f.loaded.logon_events + f.skipped + f.rejected + f.duplicates);

    const rejects = await db.all<{ line: number; reason: string }>('SELECT line, reason FROM rejects ORDER BY line');
    expect(rejects).toEqual([
      { line: 2, reason: 'not valid JSON (truncated or malformed)' },
      { line: 3, reason: 'not a JSON object (ARRAY)' },
      { line: 4, reason: 'not a JSON object (VARCHAR)' },
      { line: 5, reason: 'missing ts (@timestamp / TimeCreated)' },
      { line: 6, reason: "@timestamp / TimeCreated 'yesterday at noon' is not a valid time" },
      { line: 7, reason: 'missing host (Hostname / Computer)' },
      { line: 8, reason: 'NUL byte in record' },
      { line: 9, reason: 'invalid UTF-8' },
      { line: 11, reason: "ProcessId '12ab' is not a valid pid" },
      { line: 12, reason: "LogonId '0xZZ' is not a valid logon id" },
      { line: 18, reason: "LogonType 'ten' is not a valid logon type" },
    ]);
    const raw = await db.one<{ raw: string; file: string }>('SELECT raw, file FROM rejects WHERE line = 6');
    expect(raw.file).toBe(BAD);
    expect(raw.raw).toContain('yesterday at noon');
  });

  it('names a CSV row by the line it starts on after quoted fields that span lines', async () => {
    const path = join(tempDir(), 'process_events.csv');
    const row = (id: string, ts: string, cmd: string) => `${id},${ts},h1,bob,0x1,100,C:\\Windows\\a.exe,${cmd},4,C:\\Windows\\p.exe`;
    writeFileSync(path, [
      'event_id,ts,host,user_name,logon_id,process_id,image,command_line,parent_process_id,parent_image',
      row('e1', '2026-11-01T10:00:00Z', '"powershell -c ""$a = 1\r\n$b = 2\r\nwrite $a"""'), // lines 2-4 (CRLF inside the quotes)
      row('e2', 'noon', 'C:\\new\\nothing.exe'), // line 5: a backslash and an n is no line break
      'e3,2026-11-01T10:00:02Z,h1', // line 6: too few columns (DuckDB's reader rejects it)
      row('e4', '2026-11-01T10:00:03Z', '"cmd /c ""echo\nx"""'), // lines 7-8
      row('e5', 'later', 'cmd'), // line 9
    ].join('\n') + '\n');
    const s = await loadFiles(db, { inputs: [path], format: 'canonical' });
    expect(s.files[0]).toMatchObject({ read: 5, rejected: 3 });
    const rejects = await db.all<{ line: number; reason: string }>('SELECT line, reason FROM rejects ORDER BY line');
    expect(rejects.map((r) => Number(r.line))).toEqual([5, 6, 9]);
    expect(rejects[0]!.reason).toBe("ts 'noon' is not a valid time");
    expect(rejects[2]!.reason).toBe("ts 'later' is not a valid time");
    const cmd = await db.one<{ command_line: string }>(`SELECT command_line FROM process_events WHERE event_id = 'e1'`);
    expect(cmd.command_line).toBe('powershell -c "$a = 1\r\n$b = 2\r\nwrite $a"');
  });

  it('names the line of a quoted field never closed, which DuckDB refuses the whole file for', async () => {
    const path = join(tempDir(), 'process_events.csv');
    writeFileSync(path, [
      'event_id,ts,host,user_name,process_name,image,command_line',
      'e1,2026-11-01T10:00:00Z,h1,bob,cmd.exe,C:\\Windows\\cmd.exe,"cmd /c ""quoted"" fine"',
      'e2,2026-11-01T10:00:01Z,h1,bob,cmd.exe,C:\\Windows\\cmd.exe,"cmd /c echo hi', // line 3: never closed
      'e3,2026-11-01T10:00:02Z,h1,bob,cmd.exe,C:\\Windows\\cmd.exe,ok',
    ].join('\n') + '\n');
    const err = await loadFiles(db, { inputs: [path], format: 'canonical' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputFileError);
    expect((err as InputFileError).line).toBe(3);
    expect((err as Error).message).toBe(`${path}:3: a quoted field opened on this line is never closed (a '"' is missing); nothing was loaded`);
    expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM process_events')).n).toBe(0);
  });

  it('a quote left open late is refused too, not swallowing the rows after it into one reject', async () => {
    const dir = tempDir();
    const time = (i: number) => `2026-11-01T1${Math.floor(i / 3600)}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`;
    const file = (name: string, cmd: (i: number) => string) => {
      const path = join(dir, name, 'process_events.csv');
      mkdirSync(join(dir, name));
      const rows = Array.from({ length: 3100 }, (_, i) => `e${i},${time(i)},h1,bob,cmd.exe,C:\\Windows\\cmd.exe,${cmd(i)}`);
      writeFileSync(path, ['event_id,ts,host,user_name,process_name,image,command_line', ...rows].join('\n') + '\n');
      return path;
    };
    // row i on line i + 2; row 3000 opens a quote that a stray quote in row 3004 closes: the reader
    // takes lines 3002-3006 for one row and rejects it
    const closedLater = file('a', (i) => (i === 3000 ? '"cmd /c echo hi' : i === 3004 ? 'cmd /c echo "x' : `cmd /c ${i}`));
    const err = await loadFiles(db, { inputs: [closedLater], format: 'canonical' }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`${closedLater}:3002: a quoted field opened on this line runs on to the next quote, lines later (a '"' missing or one too many); nothing was loaded`);
    // never closed: the reader loads the rows before it and takes the rest for one rejected row
    const neverClosed = file('b', (i) => (i === 3000 ? '"cmd /c echo hi' : `cmd /c ${i}`));
    const err2 = await loadFiles(db, { inputs: [neverClosed], format: 'canonical' }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(InputFileError);
    expect((err2 as InputFileError).line).toBe(3002);
    expect((err2 as Error).message).toContain('a quoted field opened on this line is never closed');
    expect((await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM process_events')).n).toBe(0);
  });

  it('cuts a 1 MB command line at 32,767 characters and strips escaped NULs', async () => {
    await loadFiles(db, { inputs: [BAD], format: 'winevent' });
    const rows = await db.all<{ source_line: number; len: number; command_line: string }>(
      'SELECT source_line, length(command_line) AS len, command_line FROM process_events ORDER BY source_line',
    );
    expect(rows.map((r) => [r.source_line, r.len])).toEqual([[1, 17], [10, 32767], [17, 17]]);
    expect(rows[2]!.command_line).toBe('reg query HKLM\\xy');
  });

  it('loading the same file again changes nothing', async () => {
    await loadFiles(db, { inputs: [BAD], format: 'winevent' });
    const before = await db.all('SELECT (SELECT count(*) FROM process_events) p, (SELECT count(*) FROM logon_events) l, (SELECT count(*) FROM rejects) r');
    const again = await loadFiles(db, { inputs: [BAD], format: 'winevent' });
    expect(again.totals.loaded.process_events + again.totals.loaded.logon_events).toBe(0);
    expect(again.totals.duplicates).toBe(6); // every loaded row and the two duplicates
    const after = await db.all('SELECT (SELECT count(*) FROM process_events) p, (SELECT count(*) FROM logon_events) l, (SELECT count(*) FROM rejects) r');
    expect(after).toEqual(before);
  });

  it('an empty file is read as zero rows', async () => {
    const s = await loadFiles(db, { inputs: [join(FIXTURES, 'bad', 'empty.jsonl')], format: 'auto' });
    expect(s.files[0]).toMatchObject({ read: 0, rejected: 0, skipped: 0 });
  });

  it('auto-detects the format past broken lines at the top of a file', async () => {
    const s = await loadFiles(db, { inputs: [BAD], format: 'auto' });
    expect(s.files[0]?.format).toBe('winevent');
  });

  it('a file that cannot be read fails the load and leaves the database as it was', async () => {
    const dir = tempDir();
    copyFileSync(BAD, join(dir, 'a.jsonl'));
    writeFileSync(join(dir, 'b.jsonl.gz'), 'this is not gzip');
    await expect(loadFiles(db, { inputs: [dir], format: 'winevent' })).rejects.toThrow(InputFileError);
    const counts = await db.one<{ p: number; r: number; l: number }>(
      'SELECT (SELECT count(*) FROM process_events) p, (SELECT count(*) FROM rejects) r, (SELECT count(*) FROM load_ledger) l',
    );
    expect(counts).toEqual({ p: 0, r: 0, l: 0 });
  });

  it('a typed Parquet file: bad rows are rejected with their line and the record as JSON', async () => {
    const file = join(tempDir(), 'process_events.parquet');
    await db.run(
      `COPY (SELECT * FROM (VALUES
         ('p1', TIMESTAMP '2026-11-01 10:00:00', 'WKS-1.corp.local', '0x3E7', 4242, 'C:\\Windows\\cmd.exe', 'cmd.exe /c ver'),
         ('p2', TIMESTAMP '2026-11-01 10:00:01', NULL, '0x3e7', 4243, 'C:\\Windows\\cmd.exe', 'cmd.exe'),
         ('p3', TIMESTAMP '2026-11-01 10:00:02', 'wks-1', 'zz-not-hex', 4244, 'C:\\Windows\\cmd.exe', 'cmd.exe'),
         ('p1', TIMESTAMP '2026-11-01 10:00:00', 'WKS-1.corp.local', '0x3E7', 4242, 'C:\\Windows\\cmd.exe', 'cmd.exe /c ver'))
         AS t(event_id, ts, host, logon_id, process_id, image, command_line)) TO $1 (FORMAT parquet)`,
      [file],
    );
    const s = await loadFiles(db, { inputs: [file], format: 'auto' });
    expect(s.files[0]).toMatchObject({ read: 4, loaded: { process_events: 1 }, rejected: 2, duplicates: 1 });
    expect(await db.one('SELECT host, host_fqdn, logon_id, process_id, process_name FROM process_events')).toEqual({
      host: 'wks-1', host_fqdn: 'wks-1.corp.local', logon_id: '0x3e7', process_id: 4242, process_name: 'cmd.exe',
    });
    const rejects = await db.all<{ line: number; reason: string; raw: string }>('SELECT line, reason, raw FROM rejects ORDER BY line');
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, 'missing host (host)'],
      [3, "logon_id 'zz-not-hex' is not a valid logon id"],
    ]);
    expect(JSON.parse(rejects[1]!.raw)).toMatchObject({ event_id: 'p3', logon_id: 'zz-not-hex', process_id: 4244 });
  });
});

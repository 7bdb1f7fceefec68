import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { memoryDb } from './helpers.js';

describe('normalization macros', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
  });
  afterAll(() => db.close());

  const one = async (expr: string, value: string | null) => (await db.one<{ v: unknown }>(`SELECT ${expr} AS v`, [value])).v;

  it.each([
    ['0x3E7', '0x3e7'], ['0x00000000000A96E8', '0xa96e8'], ['0X0', '0x0'], ['999231', '0xf3f3f'], ['-', null], ['', null], [null, null],
    [' 0x3E7  ', '0x3e7'], ['0x3E7\u00a0', '0x3e7'],
  ])('logon id %j -> %j', async (input, expected) => {
    expect(await one('ac_logon_id($1)', input)).toBe(expected);
  });

  it('flags garbage logon and process ids', async () => {
    expect(await one('ac_logon_id_bad($1)', '0xZZ')).toBe(true);
    expect(await one('ac_logon_id_bad($1)', '0x3e7')).toBe(false);
    expect(await one('ac_pid_bad($1)', '12ab')).toBe(true);
    expect(await one('ac_pid($1)', '0x1a2c')).toBe(0x1a2c);
    expect(await one('ac_pid($1)', '6260')).toBe(6260);
  });

  it.each([
    ['WORKSTATION6.theshire.local', 'workstation6'], ['WORKSTATION6', 'workstation6'], ['10.0.5.21', '10.0.5.21'], ['-', null],
    // padded with spaces at either end (trimmed only where there are any)
    ['  WORKSTATION6.theshire.local ', 'workstation6'], [' 10.0.5.21', '10.0.5.21'], ['WS1 ', 'ws1'],
    // and the other Unicode spaces DuckDB's trim strips (no-break, ideographic)
    ['10.0.5.21\u00a0', '10.0.5.21'], ['\u3000WS2.corp', 'ws2'],
  ])('host key %j -> %j', async (input, expected) => {
    expect(await one('ac_host_key($1)', input)).toBe(expected);
  });

  it('reads times as UTC: ISO with a zone, and zone-less text', async () => {
    const iso = (await one('ac_ts($1)', '2020-09-20T16:17:19.123Z')) as Date;
    expect(iso.toISOString()).toBe('2020-09-20T16:17:19.123Z');
    const plain = (await one('ac_ts($1)', '2020-10-22 00:45:41.335')) as Date;
    expect(plain.toISOString()).toBe('2020-10-22T00:45:41.335Z');
    const offset = (await one('ac_ts($1)', '2020-10-21T10:45:41+02:00')) as Date;
    expect(offset.toISOString()).toBe('2020-10-21T08:45:41.000Z');
    expect(await one('ac_ts($1)', 'yesterday')).toBe(null);
  });

  it('splits accounts and file names', async () => {
    expect(await one('ac_account_user($1)', 'THESHIRE\\pgustavo')).toBe('pgustavo');
    expect(await one('ac_account_domain($1)', 'NT AUTHORITY\\SYSTEM')).toBe('NT AUTHORITY');
    expect(await one('ac_account_user($1)', 'jdoe@contoso.com')).toBe('jdoe');
    expect(await one('ac_file_name($1)', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')).toBe('powershell.exe');
    expect(await one('ac_file_name($1)', '/usr/bin/curl')).toBe('curl');
    expect(await one('ac_file_name($1)', ' C:/Tools/Cmd.EXE ')).toBe('cmd.exe');
    expect(await one('ac_file_name($1)', 'C:\\Tools\\Cmd.EXE\u2009')).toBe('cmd.exe');
    expect(await one('ac_file_name($1)', 'C:\\Windows\\')).toBe(null);
    expect(await one('ac_account_user($1)', ' pgustavo  ')).toBe('pgustavo');
    expect(await one('ac_logon_type($1)', 'RemoteInteractive')).toBe(10);
    expect(await one('ac_logon_type($1)', '10')).toBe(10);
  });
});

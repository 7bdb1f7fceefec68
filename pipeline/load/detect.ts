import { closeSync, lstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CanonicalTable, InputFormat } from '../../models/mapping-registry.js';
import { InputFileError } from '../errors.js';
import { alertFormatOfKeys } from './detect-alerts.js';
import type { Container } from './read-records.js';

export type FormatOption = InputFormat | 'auto';

/** What to do with one input file. */
export type FilePlan =
  | { file: string; kind: 'telemetry'; format: InputFormat; container: Container; table?: CanonicalTable }
  | { file: string; kind: 'skipped'; reason: string };

/** A canonical table's file: exactly its name and an extension (alerts.ndjson, alerts.csv.gz); my_alerts_2.json is not one. */
const CANONICAL_NAME = /^(process_events|logon_events|alerts|labels)\.(ndjson|jsonl|json|csv|parquet)$/i;
const NOT_TELEMETRY = /(^readme|^license|^notice|^changelog|^manifest\.json$|^package(-lock)?\.json$|\.(md|markdown|ya?ml|tsv|txt|html?|pdf|zip|png|jpe?g|svg|py|ts|js|sh)$)/i;
const TELEMETRY_EXT = /\.(ndjson|jsonl|json|csv|parquet|evtx)$/i;

/** What a path is when it is not a regular file or a directory: reading it could block forever (a FIFO) or never end (a device). */
function nonRegularKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Expand files and directories (walked recursively, sorted for a stable order): every regular
 * file, and as skipped files anything else (a FIFO, socket or device, named or found in a
 * directory), which is never opened.
 */
export function expandInputs(inputs: readonly string[]): { files: string[]; skipped: { file: string; reason: string }[] } {
  const files: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  const seen = new Set<string>();
  const walk = (path: string, named: boolean): void => {
    let st: Stats;
    try {
      st = statSync(path);
    } catch (err) {
      // found in a directory, a symbolic link to nothing (or to itself) is listed, not fatal
      if (!named && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
        skipped.push({ file: path, reason: `a symbolic link that ${fsCode(err) === 'ELOOP' ? 'loops' : fsCode(err) === 'ENOENT' ? 'points to nothing' : `cannot be followed (${fsReason(err)})`}: not read` });
        return;
      }
      throw new InputFileError(path, fsReason(err));
    }
    if (st.isDirectory()) {
      // a directory reached again (a symbolic link to one of its parents) is not walked twice
      const id = `dir:${st.dev}:${st.ino}`;
      if (seen.has(id)) {
        skipped.push({ file: path, reason: 'a directory already read (reached again through a symbolic link, or named twice): not read again' });
        return;
      }
      seen.add(id);
      let names: string[];
      try {
        names = readdirSync(path);
      } catch (err) {
        throw new InputFileError(path, `the directory cannot be listed: ${fsReason(err)}`);
      }
      for (const name of names.sort()) if (!name.startsWith('.')) walk(join(path, name), false);
      return;
    }
    if (seen.has(path)) return;
    seen.add(path);
    if (st.isFile()) files.push(path);
    else skipped.push({ file: path, reason: `${nonRegularKind(st)}, not a regular file: not read` });
  };
  for (const input of inputs) walk(input, true);
  return { files, skipped };
}

const fsCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** Why a path cannot be used, from the file system's error. */
function fsReason(err: unknown): string {
  switch (fsCode(err)) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'ENOTDIR': return 'a path through something that is not a directory';
    default: return (err as Error).message;
  }
}

/**
 * The first bytes of a file (decompressed when gzipped), enough to see its first record; `whole`
 * when they are all of it (a plain file shorter than `bytes`).
 */
function peek(path: string, bytes = PEEK_BYTES): { text: string; whole: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputFileError(path, `cannot be read: ${fsReason(err)}`);
  }
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    let data = buf.subarray(0, n);
    const gz = path.toLowerCase().endsWith('.gz');
    if (gz) {
      try {
        data = gunzipSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a cut stream */ });
      } catch {
        throw new InputFileError(path, 'not a valid gzip file');
      }
    }
    return { text: data.toString('utf8'), whole: !gz && n < bytes };
  } finally {
    closeSync(fd);
  }
}

/** How much of a file detection reads first; a first record longer than that is read in larger peeks, up to PEEK_MAX_BYTES. */
const PEEK_BYTES = 262144;
const PEEK_MAX_BYTES = 64 * 1024 * 1024;
/** Keys deeper than this are not needed to tell a format (the deepest tell-tale is Event.System.EventID). */
const KEY_DEPTH = 8;

/** The text of a JSON array's first element, when the peeked text holds all of it (strings and escapes respected). */
function firstArrayElement(text: string): string | undefined {
  const start = text.indexOf('{', text.indexOf('[') + 1);
  if (start < 0 || text.slice(text.indexOf('[') + 1, start).trim() !== '') return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/** Keys (flattened with dots: "event.category") of the first records that parse as JSON objects. */
function sampleRecords(text: string): { keys: Set<string>; record: Record<string, unknown> }[] {
  const trimmed = text.trimStart();
  let candidates: string[];
  if (trimmed.startsWith('[')) {
    // A JSON array (one line or pretty-printed): its first element, as far as the peeked text holds it.
    const first = firstArrayElement(trimmed);
    candidates = first ? [first] : [];
  } else {
    // Bad lines at the top (and a last line cut by the peek) fail to parse and are passed over.
    candidates = trimmed.split('\n').filter((l) => l.trim() !== '').slice(0, 50);
  }
  const out: { keys: Set<string>; record: Record<string, unknown> }[] = [];
  for (const candidate of candidates) {
    let record: unknown;
    try {
      record = JSON.parse(candidate);
    } catch {
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
    const keys = new Set<string>();
    const flatten = (obj: Record<string, unknown>, prefix: string, depth: number): void => {
      for (const [k, v] of Object.entries(obj)) {
        keys.add(prefix + k);
        if (depth < KEY_DEPTH && v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${prefix}${k}.`, depth + 1);
      }
    };
    flatten(record as Record<string, unknown>, '', 1);
    out.push({ keys, record: record as Record<string, unknown> });
  }
  return out;
}

/** Which source schema a record's fields belong to (the mappings' tell-tale fields). */
export function formatOfKeys(keys: ReadonlySet<string>, record?: Record<string, unknown>): InputFormat | undefined {
  const alerts = alertFormatOfKeys(keys, record); // first: alerts carry event fields too (Hayabusa's EventID, Channel)
  if (alerts) return alerts;
  const has = (...names: string[]) => names.every((n) => keys.has(n));
  if (record?.['Type'] === 'SecurityEvent' || has('TimeGenerated', 'Computer', 'EventID')) return 'sentinel';
  if (has('Timestamp', 'DeviceName', 'ActionType')) return 'mde';
  if (keys.has('ecs.version') || keys.has('event.category') || (keys.has('@timestamp') && keys.has('process.pid'))) return 'ecs';
  if (keys.has('EventID') && (keys.has('Channel') || keys.has('SourceName')) && (keys.has('Hostname') || keys.has('Computer'))) {
    return 'winevent';
  }
  // The evtx_dump JSON shape of the same events (models/mappings/evtx-json.ts).
  if (keys.has('Event.System.EventID') && keys.has('Event.System.Channel')) return 'winevent';
  return undefined;
}

/** Decide, per file, its format (detected or forced) and how to read it; non-telemetry is skipped. */
export function planFile(file: string, format: FormatOption): FilePlan {
  const name = basename(file).replace(/\.gz$/i, '');
  if (NOT_TELEMETRY.test(name) || !TELEMETRY_EXT.test(name)) {
    return { file, kind: 'skipped', reason: 'not telemetry (by its name)' };
  }
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const canonical = CANONICAL_NAME.exec(name);
  const table = canonical ? (canonical[1]!.toLowerCase() as CanonicalTable) : undefined;

  if (ext === 'evtx') {
    // A raw Windows event log: its records are Windows events, read through evtxexport (evtx.ts).
    if (format !== 'auto' && format !== 'winevent') throw new InputFileError(file, `an .evtx file is read as winevent, not ${format}`);
    if (file.toLowerCase().endsWith('.gz')) throw new InputFileError(file, 'a gzipped .evtx cannot be read in place: gunzip it first');
    return { file, kind: 'telemetry', format: 'winevent', container: 'evtx' };
  }
  if (ext === 'parquet') {
    if (format !== 'auto' && format !== 'canonical') throw new InputFileError(file, `Parquet input is only read as canonical, not ${format}`);
    if (!table) return { file, kind: 'skipped', reason: 'Parquet file whose name names no canonical table' };
    return { file, kind: 'telemetry', format: 'canonical', container: 'parquet', table };
  }
  if (statSync(file).size === 0) {
    // An empty file holds no rows; it still goes through the load so that it is recorded.
    const forced = format === 'auto' ? (table ? 'canonical' : 'winevent') : format;
    return { file, kind: 'telemetry', format: forced, container: ext === 'csv' ? 'csv' : 'json-lines', ...(table ? { table } : {}) };
  }
  let peeked = peek(file);
  // A first record longer than the peek (a 300 KB command line): a plain file is peeked further, 4
  // times more each time up to PEEK_MAX_BYTES, so that the record is seen whole. (A gzipped peek
  // already holds several times its size of text, and its growth would be bounded by nothing.)
  for (let bytes = PEEK_BYTES * 4; ext !== 'csv' && !peeked.whole && !file.toLowerCase().endsWith('.gz')
    && bytes <= PEEK_MAX_BYTES && sampleRecords(peeked.text).length === 0; bytes *= 4) {
    peeked = peek(file, bytes);
  }
  const text = peeked.text;
  const container: Container = ext === 'csv' ? 'csv' : text.trimStart().startsWith('[') ? 'json-array' : 'json-lines';

  if (format === 'canonical' || (format === 'auto' && table)) {
    if (!table) throw new InputFileError(file, 'a canonical file must be named after its table (process_events, logon_events, alerts, labels)');
    return { file, kind: 'telemetry', format: 'canonical', container, table };
  }
  if (format !== 'auto') return { file, kind: 'telemetry', format, container };

  let detected: InputFormat | undefined;
  if (container === 'csv') {
    const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    detected = formatOfKeys(new Set(header));
  } else {
    for (const sample of sampleRecords(text)) {
      detected = formatOfKeys(sample.keys, sample.record);
      if (detected) break;
    }
  }
  if (!detected) return { file, kind: 'skipped', reason: 'fields of no known format in its first record' };
  return { file, kind: 'telemetry', format: detected, container };
}

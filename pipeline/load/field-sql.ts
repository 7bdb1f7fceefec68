import { listValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import type { FieldRule, SourceMapping } from '../../models/mapping-registry.js';
import type { JsonPick } from '../../models/mapping-record.js';
import { quoteIdent } from '../db.js';
import type { RecordSource } from './read-records.js';

/** The SQL of one field of a mapping record: where its value is in a record, its raw text, its canonical value and its checks. */

/** A field's location in a record: one key ("process.pid" as a flat key) or nested keys. */
type KeyPath = readonly string[];

const jsonPathOf = (keys: KeyPath) => '$' + keys.map((k) => `."${k.replaceAll('"', '\\"')}"`).join('');

/**
 * SQL text plus the values bound to its $n placeholders (every value is bound, never pasted), and
 * the JSON paths the statement reads: all of them are extracted in one call per record, which
 * parses each record once (one json_extract per field parsed it once per field: 40x slower).
 */
export class BoundSql {
  readonly values: DuckDBValue[] = [];
  readonly paths: string[] = [];

  constructor(readonly source: RecordSource = { kind: 'json' }) {}

  /** Bind a value and return its placeholder. */
  bind(value: DuckDBValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** The text at a key path of the record (NULL when absent), as json_extract_string gives it. */
  path(keys: KeyPath): string {
    if (this.source.kind === 'json') {
      const path = jsonPathOf(keys);
      let i = this.paths.indexOf(path);
      if (i < 0) i = this.paths.push(path) - 1;
      return `v[${i + 1}]`;
    }
    const type = this.source.columns.get(keys[0]!);
    if (type === undefined) return 'NULL::VARCHAR';
    const column = `rec.${quoteIdent(keys[0]!)}`;
    const nested = /^(STRUCT|MAP|UNION)\(|\[\d*\]$/.test(type);
    if (keys.length > 1) return nested ? `json_extract_string(to_json(${column}), ${this.bind(jsonPathOf(keys.slice(1)))})` : 'NULL::VARCHAR';
    if (nested) return `to_json(${column})::VARCHAR`;
    return type === 'VARCHAR' ? column : `${column}::VARCHAR`;
  }
}

/** Key paths for a source field: the flat key ("process.pid" as one key) and, if dotted, nested. */
function keyPaths(field: string): KeyPath[] {
  if (!field.includes('.')) return [[field]];
  return [field.split('.'), [field]];
}

/** The text of a source field, NULL when absent or blank ('', '-'). */
export function fieldText(q: BoundSql, field: string, absent: readonly string[] = []): string {
  const candidates = keyPaths(field).map((p) => q.path(p));
  const text = candidates.length === 1 ? candidates[0]! : `coalesce(${candidates.join(', ')})`;
  return withoutAbsent(q, `ac_blank(${text})`, absent);
}

/** NULL for the rule's values meaning absent (list_contains: an IN over unnest() was a join per use). */
function withoutAbsent(q: BoundSql, blanked: string, absent: readonly string[]): string {
  return absent.length === 0 ? blanked : `CASE WHEN list_contains(${q.bind(listValue([...absent]))}, ${blanked}) THEN NULL ELSE ${blanked} END`;
}

/** A value inside a field holding JSON: an entity's key at any depth, or a top-level key (sql/macros/alerts.sql). */
function pickSql(q: BoundSql, pick: JsonPick, absent: readonly string[] = []): string {
  const doc = fieldText(q, pick.field);
  const value = pick.entity
    ? `ac_entity_value(${doc}, ${q.bind(pick.entity.toLowerCase())}, ${q.bind(pick.key)})`
    : `ac_json_value(${doc}, ${q.bind(pick.key)})`;
  return withoutAbsent(q, `ac_blank(${value})`, absent);
}

/** How a rule's sources are named in a reject reason: 'Entities[host].HostName / CompromisedEntity'. */
export function ruleSources(rule: FieldRule): string {
  const picks = (rule.fromJson ?? []).map((p) => `${p.field}${p.entity ? `[${p.entity}]` : ''}.${p.key}`);
  return [...picks, ...rule.from].join(' / ');
}

/** The first present value among the rule's source fields: NULL or a value ac_blank leaves as it is. */
function ruleRaw(q: BoundSql, rule: FieldRule): string {
  const parts = [...(rule.fromJson ?? []).map((pick) => pickSql(q, pick, rule.absent)), ...rule.from.map((field) => fieldText(q, field, rule.absent))];
  if (rule.fallback) {
    // (blank-normalized like every raw: a raw is also read as it is by a rule's `bad` check, the
    // host_fqdn column and the id key's NULL test, so '-' must be NULL there too)
    parts.push(`ac_blank(regexp_extract(${fieldText(q, rule.fallback.field)}, ${q.bind(rule.fallback.pattern)}, 1))`);
  }
  const raw = parts.length === 1 ? parts[0]! : `coalesce(${parts.join(', ')})`;
  return rule.renderedIn ? `ac_rendered_text(${raw}, ${fieldText(q, rule.renderedIn)})` : raw;
}

/**
 * Canonical value computed from the raw column `r` (a column of the `raws` step: blank values
 * already NULL, so text takes ac_clean_text, not ac_text's second ac_blank).
 */
export function transformSql(rule: FieldRule, r: string): { value: string; bad?: string } {
  switch (rule.as) {
    case 'text':
    case 'folder_file':
      return { value: `ac_clean_text(${r})` };
    case 'lower':
      return { value: `lower(ac_clean_text(${r}))` };
    case 'time':
      return { value: `ac_ts(${r})`, bad: `(${r} IS NOT NULL AND ac_ts(${r}) IS NULL)` };
    case 'spaced_time':
      return { value: `ac_ts_spaced(${r})`, bad: `(${r} IS NOT NULL AND ac_ts_spaced(${r}) IS NULL)` };
    case 'severity':
      return { value: `ac_severity(${r})` };
    case 'host':
      return { value: `ac_host_key(${r})`, bad: `ac_host_bad(${r})` };
    case 'logon_id':
      return { value: `ac_logon_id(${r})`, bad: `ac_logon_id_bad(${r})` };
    case 'pid':
      return { value: `ac_pid(${r})`, bad: `ac_pid_bad(${r})` };
    case 'logon_type':
      return { value: `ac_logon_type(${r})`, bad: `ac_logon_type_bad(${r})` };
    case 'bool':
      return { value: `ac_bool(${r})`, bad: `ac_bool_bad(${r})` };
    case 'account_user':
      return { value: `ac_account_user(${r})` };
    case 'account_domain':
      return { value: `ac_account_domain(${r})` };
    case 'guid':
      return { value: `ac_guid(${r})` };
    case 'file_name':
      return { value: `ac_file_name(${r})` };
    case 'outcome':
      return { value: `ac_outcome(${r})`, bad: `(${r} IS NOT NULL AND ac_outcome(${r}) IS NULL)` };
  }
}

const TIMESTAMP_TYPES = new Set(['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP_S']);
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

/**
 * A time or process id that a typed (Parquet) column already holds as a timestamp or an integer:
 * the column itself, not its text, so that it is not printed and parsed back (that round trip
 * cost 10% of mapping a Parquet file). Undefined for text, other rules and JSON records.
 */
export function typedRaw(q: BoundSql, rule: FieldRule): { raw: string; kind: 'time' | 'pid' } | undefined {
  if (q.source.kind !== 'columnar' || rule.from.length !== 1 || rule.fallback || rule.renderedIn || rule.fromJson || (rule.absent?.length ?? 0) > 0) return undefined;
  const name = rule.from[0]!;
  const type = q.source.columns.get(name);
  const raw = `rec.${quoteIdent(name)}`;
  if (rule.as === 'time' && type !== undefined && TIMESTAMP_TYPES.has(type)) return { raw, kind: 'time' };
  if (rule.as === 'pid' && type !== undefined && INTEGER_TYPES.has(type)) return { raw, kind: 'pid' };
  return undefined;
}

/** The canonical value of a typed column (typedRaw), and when it is bad: a negative process id. */
export function typedTransformSql(kind: 'time' | 'pid', r: string): { value: string; bad?: string } {
  return kind === 'time'
    ? { value: `${r}::TIMESTAMP` }
    : { value: `try_cast(${r} AS BIGINT)`, bad: `(${r} IS NOT NULL AND (${r} < 0 OR ${r} > 4294967295 OR try_cast(${r} AS BIGINT) IS NULL))` };
}

/** The raw text of a field: for folder_file, Defender's folder and file name joined. */
export function rawSql(q: BoundSql, rule: FieldRule): string {
  if (rule.as !== 'folder_file') return ruleRaw(q, rule);
  // FolderPath usually ends with the file name; when it is only the folder, join the two.
  const folder = fieldText(q, rule.from[0]!);
  const file = fieldText(q, rule.from[1]!);
  return `CASE WHEN ${folder} IS NULL THEN ${file}
    WHEN ${file} IS NULL OR suffix(lower(${folder}), lower(${file})) THEN ${folder}
    ELSE rtrim(${folder}, '\\') || '\\' || ${file} END`;
}

/** A SQL predicate for the mapping's event filter. */
export function filterSql(q: BoundSql, mapping: SourceMapping): string {
  if (mapping.when.length === 0) return 'true';
  return mapping.when
    .map((test) => {
      if (test.present !== undefined) {
        // Present: the field has a value (not blank); for present: false, it has none.
        const has = `(${keyPaths(test.field).map((path) => `ac_blank(${q.path(path)}) IS NOT NULL`).join(' OR ')})`;
        return test.present ? has : `NOT ${has}`;
      }
      const conds = keyPaths(test.field).map((path) => {
        const text = q.path(path);
        const norm = (x: string) => (test.ignoreCase ? `lower(${x})` : x);
        const wanted = q.bind(listValue(test.ignoreCase ? (test.in ?? []).map((v) => v.toLowerCase()) : [...(test.in ?? [])]));
        // An array value (ECS event.category: ["process"]) matches when any element does. Only a
        // text holding '[' can be one: the others skip the JSON checks and the one-element list.
        // (json_type only under THEN: DuckDB may test the terms of an AND in any order.)
        const kind = `CASE WHEN contains(${text}, '[') AND json_valid(${text}) THEN json_type(${text}) END`;
        return `coalesce(CASE WHEN ${kind} = 'ARRAY'
                              THEN list_has_any(list_transform(json_extract_string(${text}, '$[*]'), x -> ${norm('x')}), ${wanted})
                              ELSE list_contains(${wanted}, ${norm(text)}) END, false)`;
      });
      return `(${conds.join(' OR ')})`;
    })
    .join(' AND ');
}

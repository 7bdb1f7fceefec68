import { listValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import type { FieldRule, SourceMapping } from '../../models/mapping-registry.js';
import type { JsonPick } from '../../models/mapping-record.js';
import { quoteIdent } from '../db.js';
import { columnarRowsSql } from './read-records.js';
import type { RecordSource } from './read-records.js';
import { STAGE_COLUMNS } from './stage-tables.js';

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
function fieldText(q: BoundSql, field: string, absent: readonly string[] = []): string {
  const candidates = keyPaths(field).map((p) => q.path(p));
  const text = candidates.length === 1 ? candidates[0]! : `coalesce(${candidates.join(', ')})`;
  return withoutAbsent(q, `ac_blank(${text})`, absent);
}

/** NULL for the rule's values meaning absent. */
function withoutAbsent(q: BoundSql, blanked: string, absent: readonly string[]): string {
  return absent.length === 0 ? blanked : `CASE WHEN ${blanked} IN (SELECT unnest(${q.bind(listValue([...absent]))})) THEN NULL ELSE ${blanked} END`;
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

/** The first present value among the rule's source fields. */
function ruleRaw(q: BoundSql, rule: FieldRule): string {
  const parts = [...(rule.fromJson ?? []).map((pick) => pickSql(q, pick, rule.absent)), ...rule.from.map((field) => fieldText(q, field, rule.absent))];
  if (rule.fallback) {
    parts.push(`nullif(regexp_extract(${fieldText(q, rule.fallback.field)}, ${q.bind(rule.fallback.pattern)}, 1), '')`);
  }
  return parts.length === 1 ? parts[0]! : `coalesce(${parts.join(', ')})`;
}

/** Canonical value computed from the raw column `r` (a column of the `raws` step). */
function transformSql(rule: FieldRule, r: string): { value: string; bad?: string } {
  switch (rule.as) {
    case 'text':
    case 'folder_file':
      return { value: `ac_text(${r})` };
    case 'lower':
      return { value: `lower(ac_text(${r}))` };
    case 'time':
      return { value: `ac_ts(${r})`, bad: `(${r} IS NOT NULL AND ac_ts(${r}) IS NULL)` };
    case 'spaced_time':
      return { value: `ac_ts_spaced(${r})`, bad: `(${r} IS NOT NULL AND ac_ts_spaced(${r}) IS NULL)` };
    case 'severity':
      return { value: `ac_severity(${r})` };
    case 'host':
      return { value: `ac_host_key(${r})` };
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
function typedRaw(q: BoundSql, rule: FieldRule): { raw: string; kind: 'time' | 'pid' } | undefined {
  if (q.source.kind !== 'columnar' || rule.from.length !== 1 || rule.fallback || rule.fromJson || (rule.absent?.length ?? 0) > 0) return undefined;
  const name = rule.from[0]!;
  const type = q.source.columns.get(name);
  const raw = `rec.${quoteIdent(name)}`;
  if (rule.as === 'time' && type !== undefined && TIMESTAMP_TYPES.has(type)) return { raw, kind: 'time' };
  if (rule.as === 'pid' && type !== undefined && INTEGER_TYPES.has(type)) return { raw, kind: 'pid' };
  return undefined;
}

/** The canonical value of a typed column (typedRaw), and when it is bad: a negative process id. */
function typedTransformSql(kind: 'time' | 'pid', r: string): { value: string; bad?: string } {
  return kind === 'time'
    ? { value: `${r}::TIMESTAMP` }
    : { value: `try_cast(${r} AS BIGINT)`, bad: `(${r} IS NOT NULL AND (${r} < 0 OR ${r} > 4294967295 OR try_cast(${r} AS BIGINT) IS NULL))` };
}

/** The raw text of a field: for folder_file, Defender's folder and file name joined. */
function rawSql(q: BoundSql, rule: FieldRule): string {
  if (rule.as !== 'folder_file') return ruleRaw(q, rule);
  // FolderPath usually ends with the file name; when it is only the folder, join the two.
  const folder = fieldText(q, rule.from[0]!);
  const file = fieldText(q, rule.from[1]!);
  return `CASE WHEN ${folder} IS NULL THEN ${file}
    WHEN ${file} IS NULL OR suffix(lower(${folder}), lower(${file})) THEN ${folder}
    ELSE rtrim(${folder}, '\\') || '\\' || ${file} END`;
}

/** A SQL predicate for the mapping's event filter. */
function filterSql(q: BoundSql, mapping: SourceMapping): string {
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
        // An array value (ECS event.category: ["process"]) matches when any element does.
        const values = `CASE WHEN json_valid(${text}) AND json_type(${text}::JSON) = 'ARRAY'
                             THEN list_transform(json_extract_string(${text}::JSON, '$[*]'), x -> ${norm('x')})
                             ELSE [${norm(text)}] END`;
        const wanted = test.ignoreCase ? (test.in ?? []).map((v) => v.toLowerCase()) : [...(test.in ?? [])];
        return `coalesce(list_has_any(${values}, ${q.bind(listValue(wanted))}), false)`;
      });
      return `(${conds.join(' OR ')})`;
    })
    .join(' AND ');
}

const rawCol = (column: string) => quoteIdent(`r_${column}`);

/**
 * One INSERT that maps every record of a file taken by `mapping` into the stage table of its
 * canonical table, with a reject reason on rows it cannot use. Steps: extract every path once
 * (`fields`), pick each column's raw text (`raws`), normalize (`mapped`), validate and insert.
 */
export function mappingInsertSql(mapping: SourceMapping, fileIdx: number | readonly number[], source: RecordSource = { kind: 'json' }): { sql: string; values: DuckDBValue[] } {
  if (typeof fileIdx !== 'number' && source.kind !== 'json') throw new Error('mappingInsertSql: a columnar source is one file');
  const q = new BoundSql(source);
  const columns = STAGE_COLUMNS[mapping.table];
  const fieldEntries = Object.entries(mapping.fields);

  // Step raws: one column per canonical field, plus the record's identity key.
  const typed = new Map(fieldEntries.flatMap(([column, rule]) => {
    const t = typedRaw(q, rule);
    return t ? [[column, t] as const] : [];
  }));
  const raws = fieldEntries.map(([column, rule]) => `${typed.get(column)?.raw ?? rawSql(q, rule)} AS ${rawCol(column)}`);
  // Stable ids: the source's own id, else a hash of the fields that identify the record, else of
  // the whole record. Re-reading the same file gives the same ids, so a reload adds nothing.
  const keyAlternatives = (mapping.idFrom ?? []).map((fields) => {
    const parts = fields.map((fld) => `lower(${fieldText(q, fld)})`);
    return `CASE WHEN ${parts.map((p) => `${p} IS NOT NULL`).join(' AND ')} THEN concat_ws('|', ${parts.join(', ')}) END`;
  });
  const explicitIdRule = mapping.fields['event_id'] ?? mapping.fields['alert_id'];
  const wholeRecord = source.kind === 'json' ? 'md5(raw)' : 'md5(to_json(rec)::VARCHAR)';
  const idKey = `coalesce(${[...keyAlternatives, wholeRecord].join(', ')})`;
  // With the source's own id at hand, no key is needed (hashing every record cost a third of the time).
  raws.push(`${explicitIdRule ? `CASE WHEN ${rawSql(q, explicitIdRule)} IS NULL THEN ${idKey} END` : idKey} AS id_key`);
  const filter = filterSql(q, mapping);

  // Step mapped: normalized values.
  const exprs = new Map<string, string>();
  const checks: string[] = []; // CASE branches: WHEN cond THEN reason, evaluated in the final step
  for (const [column, rule] of fieldEntries) {
    const typedColumn = typed.get(column);
    const t = typedColumn ? typedTransformSql(typedColumn.kind, rawCol(column)) : transformSql(rule, rawCol(column));
    exprs.set(column, t.value);
    const label = () => q.bind(ruleSources(rule)); // bound only when used: DuckDB refuses unused values
    if (t.bad) {
      checks.push(`WHEN ${t.bad} THEN format('{} ''{}'' is not a valid {}', ${label()}, left(${rawCol(column)}::VARCHAR, 80), ${q.bind(rule.as.replace('_', ' '))})`);
    }
    if (rule.as === 'time' || rule.as === 'spaced_time') {
      // A time outside the plausible range (LoadOptions.timeRange: 1601, 0001 and 9999 came through).
      checks.push(`WHEN ${quoteIdent(column)} NOT BETWEEN getvariable('ac_ts_min') AND getvariable('ac_ts_max')
        THEN format('{} ''{}'' is outside the plausible range {} .. {}', ${label()}, left(${rawCol(column)}::VARCHAR, 80),
                    strftime(getvariable('ac_ts_min'), '%Y-%m-%d'), strftime(getvariable('ac_ts_max'), '%Y-%m-%d'))`);
    }
    if (rule.oneOf) {
      checks.push(`WHEN ${quoteIdent(column)} IS NOT NULL AND NOT list_contains(${q.bind(listValue([...rule.oneOf]))}, ${quoteIdent(column)})
        THEN format('{} ''{}'' is not one of {}', ${label()}, left(${rawCol(column)}::VARCHAR, 80), ${q.bind(rule.oneOf.join(', '))})`);
    }
    if (column === 'host') exprs.set('host_fqdn', `lower(trim(${rawCol(column)}))`);
  }
  for (const [column, value] of Object.entries(mapping.constants ?? {})) exprs.set(column, q.bind(value));
  if (mapping.table === 'process_events') {
    if (!mapping.fields['process_name']) exprs.set('process_name', `ac_file_name(${exprs.get('image') ?? 'NULL'})`);
    if (!mapping.fields['parent_name']) exprs.set('parent_name', `ac_file_name(${exprs.get('parent_image') ?? 'NULL'})`);
  }
  const idColumn = mapping.table === 'alerts' ? 'alert_id' : mapping.table === 'labels' ? undefined : 'event_id';
  if (idColumn) {
    const hashed = `substr(md5(${q.bind(`${mapping.table}|`)} || id_key), 1, 24)`;
    const explicit = exprs.get(idColumn);
    exprs.set(idColumn, explicit ? `coalesce(${explicit}, ${hashed})` : hashed);
  }
  if (columns.includes('source')) exprs.set('source', q.bind(mapping.name));
  exprs.set('source_line', 'line');
  const commandLine = mapping.fields['command_line'] ? `coalesce(length(${rawCol('command_line')}) > 32767, false)` : 'false';

  // Parts of an alert are checked once merged (sql/load/merge_alert_parts.sql).
  for (const column of mapping.alertParts ? [] : mapping.required) {
    const rule = mapping.fields[column];
    const names = rule ? ruleSources(rule) : column;
    checks.push(`WHEN ${quoteIdent(column)} IS NULL THEN ${q.bind(`missing ${column} (${names})`)}`);
  }
  const rowKey = mapping.table === 'labels' ? `kind || ':' || id` : quoteIdent(idColumn!);
  const rejectReason = checks.length === 0 ? 'NULL' : `CASE ${checks.join('\n')} ELSE NULL END`;

  // The paths are all known now: the json source extracts them in one call per record.
  const fields = source.kind === 'json'
    ? `MATERIALIZED (
      SELECT file_idx, line, raw, json_extract_string(obj, ${q.bind(listValue(q.paths))}) AS v
      FROM load_records WHERE ${typeof fileIdx === 'number' ? `file_idx = ${q.bind(fileIdx)}` : `list_contains(${q.bind(listValue([...fileIdx]))}, file_idx)`} AND obj IS NOT NULL)`
    : `(SELECT ${q.bind(fileIdx as number)}::INTEGER AS file_idx, line, rec FROM (${columnarRowsSql(source, q.bind(source.path))}))`;
  // Materializing each step keeps JSON texts from being re-extracted per use; typed columns are
  // cheaper to recompute than to copy, so the columnar steps stream.
  const materialized = source.kind === 'json' ? 'MATERIALIZED' : 'NOT MATERIALIZED';
  const sql = `
    WITH fields AS ${fields},
    raws AS ${materialized} (
      SELECT file_idx, line, ${raws.join(',\n')}
      FROM fields WHERE ${filter}),
    mapped AS ${materialized} (
      SELECT *, ${columns.map((c) => `${exprs.get(c) ?? 'NULL'} AS ${quoteIdent(c)}`).join(',\n')},
             ${commandLine} AS truncated
      FROM raws)
    INSERT INTO ${quoteIdent(`stage_${mapping.table}`)}
      (${columns.map(quoteIdent).join(', ')}, file_idx, row_key, reject_reason, truncated, preference)
    SELECT ${columns.map(quoteIdent).join(', ')}, file_idx, ${rowKey}, ${rejectReason}, truncated,
           ${q.bind(mapping.preference ?? 0)}
    FROM mapped`;
  return { sql, values: q.values };
}

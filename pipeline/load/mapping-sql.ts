import { listValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import type { SourceMapping } from '../../models/mapping-registry.js';
import { quoteIdent } from '../db.js';
import { BoundSql, fieldText, filterSql, rawSql, ruleSources, transformSql, typedRaw, typedTransformSql } from './field-sql.js';
import { columnarRowsSql } from './read-records.js';
import type { RecordSource } from './read-records.js';
import { STAGE_COLUMNS } from './stage-tables.js';
import type { TimeRange } from './time-range.js';

const rawCol = (column: string) => quoteIdent(`r_${column}`);

/** Step raws: one column per canonical field (typed where the source's own column has a type), plus the record's identity key. */
function rawsStep(q: BoundSql, mapping: SourceMapping, source: RecordSource) {
  const fieldEntries = Object.entries(mapping.fields);
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
  return { typed, raws };
}

/** Step mapped: each canonical column's normalized value, and the checks (WHEN cond THEN reason) that reject a row. */
function mappedStep(q: BoundSql, mapping: SourceMapping, typed: ReturnType<typeof rawsStep>['typed'], columns: readonly string[], range: TimeRange) {
  const fieldEntries = Object.entries(mapping.fields);
  // The plausible range's ends, bound once and only when a time field uses them (DuckDB refuses unused values).
  let ends: { lo: string; hi: string } | undefined;
  const rangeEnds = () => (ends ??= {
    lo: `${q.bind(range.earliest.toISOString().replace('Z', ''))}::TIMESTAMP`,
    hi: `${q.bind(range.latest.toISOString().replace('Z', ''))}::TIMESTAMP`,
  });
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
      const { lo, hi } = rangeEnds();
      checks.push(`WHEN ${quoteIdent(column)} NOT BETWEEN ${lo} AND ${hi}
        THEN format('{} ''{}'' is outside the plausible range {} .. {}', ${label()}, left(${rawCol(column)}::VARCHAR, 80),
                    strftime(${lo}, '%Y-%m-%d'), strftime(${hi}, '%Y-%m-%d'))`);
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
  return { exprs, checks, idColumn };
}

/**
 * One INSERT that maps every record of a file taken by `mapping` into the stage table of its
 * canonical table, with a reject reason on rows it cannot use. Steps: extract every path once
 * (`fields`), pick each column's raw text (`raws`), normalize (`mapped`), validate and insert.
 */
export function mappingInsertSql(
  mapping: SourceMapping, fileIdx: number | readonly number[], source: RecordSource, range: TimeRange,
): { sql: string; values: DuckDBValue[] } {
  if (typeof fileIdx !== 'number' && source.kind !== 'json') throw new Error('mappingInsertSql: a columnar source is one file');
  const q = new BoundSql(source);
  const columns = STAGE_COLUMNS[mapping.table];

  const { typed, raws } = rawsStep(q, mapping, source);
  const filter = filterSql(q, mapping);

  const { exprs, checks, idColumn } = mappedStep(q, mapping, typed, columns, range);
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
      SELECT file_idx, line, raw, json_extract_string(raw, ${q.bind(listValue(q.paths))}) AS v
      FROM load_records WHERE ${typeof fileIdx === 'number' ? `file_idx = ${q.bind(fileIdx)}` : `list_contains(${q.bind(listValue([...fileIdx]))}, file_idx)`} AND reject_reason IS NULL)`
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

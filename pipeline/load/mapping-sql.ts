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
    if (column === 'host') exprs.set('host_fqdn', `lower(ac_trim(${rawCol(column)}))`);
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
 * One INSERT that maps the records of `fields` taken by `mapping` (`filter`) into the stage table
 * of its canonical table, with a reject reason on rows it cannot use. Steps: pick each column's
 * raw text (`raws`), normalize (`mapped`), validate and insert. `fields` is asked for last, when
 * every path the statement reads is known.
 */
function insertSql(q: BoundSql, mapping: SourceMapping, filter: string, fields: () => string, range: TimeRange): string {
  const columns = STAGE_COLUMNS[mapping.table];
  const { typed, raws } = rawsStep(q, mapping, q.source);
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

  // Materializing raws and mapped keeps each text from being normalized again per use; typed
  // columns are cheaper to recompute than to copy, so the columnar steps stream. fields is not
  // copied: the planner computes its one extraction call once per record below the raws
  // (materializing it copied every record and its fields again: 0.5 s of 4 on 123 k records).
  const materialized = q.source.kind === 'json' ? 'MATERIALIZED' : 'NOT MATERIALIZED';
  return `
    WITH fields AS NOT MATERIALIZED ${fields()},
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
}

type Statement = { sql: string; values: DuckDBValue[] };

/** The INSERT of a Parquet file's rows taken by `mapping` (insertSql), read in place. */
export function columnarInsertSql(
  mapping: SourceMapping, fileIdx: number, source: Extract<RecordSource, { kind: 'columnar' }>, range: TimeRange,
): Statement {
  const q = new BoundSql(source);
  const filter = filterSql(q, mapping);
  const fields = () => `(SELECT ${q.bind(fileIdx)}::INTEGER AS file_idx, line, rec FROM (${columnarRowsSql(source, q.bind(source.path))}))`;
  return { sql: insertSql(q, mapping, filter, fields, range), values: q.values };
}

/**
 * The statements that map a group of JSON-framed files (one format). When a mapping has an event
 * filter, `select` first tests every record against each mapping's filter (load_fields: file_idx,
 * line, raw and m<k>, true when mapping k takes the record), reading the filters' fields in one
 * json_extract_string call per record. Then one INSERT per mapping extracts its paths, again in
 * one call per record, from the records it takes only (each of winevent's ten mappings extracted
 * its paths from every record before filtering: ten parses of each record, nine of them wasted),
 * `flag` naming its column in load_fields; `taken` (with a filter) tells which mappings take any record.
 */
export function jsonGroupSql(
  mappings: readonly SourceMapping[], files: readonly number[], range: TimeRange,
): { select?: Statement; taken?: string; inserts: (Statement & { flag: string })[] } {
  const records = 'FROM load_records WHERE list_contains($1, file_idx) AND reject_reason IS NULL';
  const inserts = mappings.map((mapping, k) => {
    const q = new BoundSql({ kind: 'json' });
    const from = mappings.some((m) => m.when.length > 0)
      ? `FROM load_fields WHERE m${k + 1}`
      : records.replace('$1', q.bind(listValue([...files])));
    const fields = () => `(SELECT file_idx, line, raw, json_extract_string(raw, ${q.bind(listValue(q.paths))}) AS v ${from})`;
    return { sql: insertSql(q, mapping, 'true', fields, range), values: q.values, flag: `m${k + 1}` };
  });
  if (!mappings.some((m) => m.when.length > 0)) return { inserts };
  const qf = new BoundSql({ kind: 'json' });
  qf.bind(listValue([...files])); // $1
  const tests = mappings.map((m, k) => `, ${filterSql(qf, m)} AS m${k + 1}`).join('');
  const select = {
    sql: `CREATE OR REPLACE TEMP TABLE load_fields AS
          SELECT file_idx, line, raw${tests}
          FROM (SELECT file_idx, line, raw, json_extract_string(raw, ${qf.bind(listValue(qf.paths))}) AS v ${records})`,
    values: qf.values,
  };
  // Which mappings take any record: planning a mapping's statement costs 0.02-0.07 s (its
  // normalization macros expand to large expressions), so a mapping with nothing to map is skipped.
  const taken = `SELECT ${mappings.map((_, k) => `coalesce(bool_or(m${k + 1}), false) AS m${k + 1}`).join(', ')} FROM load_fields`;
  return { select, taken, inserts };
}

import type { DuckDBValue } from '@duckdb/node-api';
import type { SigmaLogsource } from '../../models/sigma-fields.js';
import { quoteIdent } from '../db.js';
import type { CompiledRule } from './compile-rule.js';
import { fieldColumn } from './compile-rule.js';
import { renumbered } from './params.js';

/** The event columns an alert takes (NULL where the table has none). */
const ENTITY_COLUMNS: Record<SigmaLogsource['table'], string> = {
  process_events: 'host, host_fqdn, user_name, logon_id, process_id, command_line',
  logon_events: 'host, host_fqdn, user_name, logon_id, NULL::BIGINT AS process_id, NULL::VARCHAR AS command_line',
};

/**
 * One statement for every rule of one log source, one pass over the period's events: the events
 * with each Sigma field a rule reads computed once (raw and lowercased: Sigma matches
 * case-insensitively), then per event the list of rules whose predicate holds, unnested. Each
 * rule's values are bound ($n, renumbered rule after rule), never written into the text. Rows:
 * (rule_idx, event_id, ts and the alert's entities) into the temp table sigma_hits.
 * `rules[i]` is rule_idx `first + i`.
 */
export function detectStatement(ls: SigmaLogsource, rules: readonly CompiledRule[], first: number, period: { from: string; to: string }): { sql: string; values: DuckDBValue[] } {
  const values: DuckDBValue[] = [];
  const bind = (v: DuckDBValue) => `$${values.push(v)}`;
  const from = bind(period.from);
  const to = bind(period.to);
  const fields = [...new Set(rules.flatMap((r) => r.fields))].sort();
  const fieldExprs = fields.flatMap((f) => {
    const source = ls.fields[f]!;
    const expr = 'column' in source ? quoteIdent(source.column) : `(${source.sql})`;
    return [`${expr} AS ${fieldColumn(f, 'raw')}`, `lower(${expr}::VARCHAR) AS ${fieldColumn(f, 'lc')}`];
  });
  const cases = rules.map((r, i) => {
    const sql = renumbered(r.sql, values.length);
    values.push(...r.values);
    return `CASE WHEN ${sql} THEN ${first + i} END`;
  });
  const sql = `
    INSERT INTO sigma_hits
    WITH ev AS MATERIALIZED (
      SELECT event_id, ts, ${ENTITY_COLUMNS[ls.table]}${fieldExprs.length ? ',\n' + fieldExprs.join(',\n') : ''}
      FROM ${quoteIdent(ls.table)}
      WHERE ts >= ${from}::DATE AND ts < ${to}::DATE + 1
    ),
    matched AS (
      SELECT event_id, ts, host, host_fqdn, user_name, logon_id, process_id, command_line,
             list_filter([${cases.join(',\n')}], x -> x IS NOT NULL) AS rule_ids
      FROM ev
    )
    SELECT unnest(rule_ids) AS rule_idx, event_id, ts, host, host_fqdn, user_name, logon_id, process_id, command_line
    FROM matched WHERE len(rule_ids) > 0`;
  return { sql, values };
}

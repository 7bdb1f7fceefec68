import type { DuckDBValue } from '@duckdb/node-api';
import type { SigmaLogsource } from '../../models/sigma-fields.js';
import { quoteIdent } from '../db.js';
import type { CompiledRule } from './compile-rule.js';
import { fieldColumn } from './compile-rule.js';
import { rebound } from './params.js';

/** The event columns an alert takes (NULL where the table has none). */
export const ENTITY_COLUMNS: Record<SigmaLogsource['table'], string> = {
  process_events: 'host, host_fqdn, user_name, logon_id, process_id, command_line',
  logon_events: 'host, host_fqdn, user_name, logon_id, NULL::BIGINT AS process_id, NULL::VARCHAR AS command_line',
};

export interface Statement { sql: string; values: DuckDBValue[] }

export const raw = (f: string): string => fieldColumn(f, 'raw');
export const lc = (f: string): string => fieldColumn(f, 'lc');

/** A Sigma field's value in the log source's table: its column, or the SQL that derives it. */
export function fieldSource(ls: SigmaLogsource, f: string): string {
  const source = ls.fields[f]!;
  return 'column' in source ? quoteIdent(source.column) : `(${source.sql})`;
}

/**
 * Below this many events in the period, one statement (detectStatement) is cheaper than the gated
 * three: on a few thousand events DuckDB spends its time planning the statements (each holds every
 * rule), not running them.
 */
export const GATED_MIN_EVENTS = 20_000;

/**
 * The single plan, for small periods: two statements. `events` copies the period's events into
 * sigma_ev, each Sigma field a rule reads computed once (raw and lowercased: Sigma matches
 * case-insensitively); `match` takes per event the list of rules whose predicate holds (each in
 * negation normal form, so and / or short-circuit), unnested into sigma_hits. On a few thousand
 * events nearly all of `match`'s time is DuckDB planning an expression over every rule: run it
 * with SINGLE_PLAN_OFF_OPTIMIZERS disabled (run-detect.ts; 1,187 rules on an OTRF day: 15.2 s ->
 * 4.4 s), which `events` keeps (the period's filter is pushed into the scan). Values bound as in
 * the gated plan (gated-plan.ts).
 */
export function detectStatement(ls: SigmaLogsource, rules: readonly CompiledRule[], first: number, period: { from: string; to: string }): { events: Statement; match: Statement } {
  const fields = [...new Set(rules.flatMap((r) => r.fields))].sort();
  const fieldExprs = fields.flatMap((f) => {
    const expr = fieldSource(ls, f);
    return [`${expr} AS ${raw(f)}`, `lower(${expr}::VARCHAR) AS ${lc(f)}`];
  });
  const events = `
    CREATE OR REPLACE TEMP TABLE sigma_ev AS
    SELECT event_id, ts, ${ENTITY_COLUMNS[ls.table]}${fieldExprs.map((e) => `,\n${e}`).join('')}
    FROM ${quoteIdent(ls.table)}
    WHERE ts >= $1::DATE AND ts < $2::DATE + 1`;
  const values: DuckDBValue[] = [];
  const cases = rules.map((r, i) => `CASE WHEN ${rebound(r.sql, r.values, values)} THEN ${first + i} END`);
  const match = `
    INSERT INTO sigma_hits
    WITH matched AS (
      SELECT event_id, ts, host, host_fqdn, user_name, logon_id, process_id, command_line,
             list_filter([${cases.join(',\n')}], x -> x IS NOT NULL) AS rule_ids
      FROM sigma_ev
    )
    SELECT unnest(rule_ids) AS rule_idx, event_id, ts, host, host_fqdn, user_name, logon_id, process_id, command_line
    FROM matched WHERE len(rule_ids) > 0`;
  return { events: { sql: events, values: [period.from, period.to] }, match: { sql: match, values } };
}

/** What the single plan's matching statement runs without (see detectStatement). */
export const SINGLE_PLAN_OFF_OPTIMIZERS = 'common_subexpressions,filter_pushdown';

/** How many events of `ls` the period holds (which of the two plans detect takes). */
export function periodEventsSql(ls: SigmaLogsource): string {
  return `SELECT count(*) AS n FROM ${quoteIdent(ls.table)} WHERE ts >= $1::DATE AND ts < $2::DATE + 1`;
}


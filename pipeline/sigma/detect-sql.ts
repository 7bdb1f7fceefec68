import type { DuckDBValue } from '@duckdb/node-api';
import type { SigmaLogsource } from '../../models/sigma-fields.js';
import { quoteIdent } from '../db.js';
import type { CompiledRule } from './compile-rule.js';
import { fieldColumn } from './compile-rule.js';
import { rebound } from './params.js';
import { FALSE, TRUE, gate, junction, predFields, renderPred } from './pred.js';
import type { Pred } from './pred.js';

/** The event columns an alert takes (NULL where the table has none). */
const ENTITY_COLUMNS: Record<SigmaLogsource['table'], string> = {
  process_events: 'host, host_fqdn, user_name, logon_id, process_id, command_line',
  logon_events: 'host, host_fqdn, user_name, logon_id, NULL::BIGINT AS process_id, NULL::VARCHAR AS command_line',
};

/**
 * Fields whose values are (nearly) unique per event. The others (Image, OriginalFileName,
 * ParentImage, User, Hashes, LogonType ...) repeat across a fleet: a few tens of thousands of
 * distinct tuples for a million events, so conditions on them are tested once per tuple.
 */
export const VALUE_FIELDS: ReadonlySet<string> = new Set([
  'CommandLine', 'ParentCommandLine', 'CurrentDirectory', 'ProcessId', 'ParentProcessId', 'ProcessGuid', 'ParentProcessGuid',
  'LogonId', 'TargetLogonId',
]);

export interface Statement { sql: string; values: DuckDBValue[] }

/**
 * How one rule is evaluated: its candidate events are those whose tuple of repeating fields passes
 * `keys` or whose tuple of per-event fields passes `values` (gates: false = none, true = all).
 */
export interface RulePlan { idx: number; rule: CompiledRule; keys: Pred; values: Pred }

const isKey = (a: Extract<Pred, { kind: 'atom' }>) => a.fields.every((f) => !VALUE_FIELDS.has(f));
const isValue = (a: Extract<Pred, { kind: 'atom' }>) => a.fields.every((f) => VALUE_FIELDS.has(f));

/**
 * Split a predicate into a gate on the repeating fields and one on the per-event fields, with
 * `p` implying `keys OR values`: an or splits item by item; anything else takes its conditions on
 * the repeating fields when they are selective (need a value to be present), else those on the
 * per-event fields, else (an and) the split of one of its items that is; failing all, whichever
 * gate is not constant, else every event (keys true).
 */
export function splitPred(p: Pred): { keys: Pred; values: Pred } {
  if (p.kind === 'or') {
    const parts = p.items.map(splitPred);
    return { keys: junction('or', parts.map((x) => x.keys)), values: junction('or', parts.map((x) => x.values)) };
  }
  const onKeys = gate(p, isKey);
  if (selective(onKeys)) return { keys: onKeys, values: FALSE };
  const onValues = gate(p, isValue);
  if (selective(onValues)) return { keys: FALSE, values: onValues };
  if (p.kind === 'and') {
    const narrow = p.items.map(splitPred).find((x) => selective(x.keys) || selective(x.values));
    if (narrow) return narrow;
  }
  // No gate that needs a value present: one of negations only still holds on most rows, but is one.
  if (onKeys.kind !== 'const') return { keys: onKeys, values: FALSE };
  if (onValues.kind !== 'const') return { keys: FALSE, values: onValues };
  return { keys: TRUE, values: FALSE };
}

/**
 * Whether a gate narrows: every way it can hold needs a positive test (a value present and
 * matching), not only the absence of one (`not endswith \\plink.exe` holds on nearly every row).
 */
export function selective(g: Pred): boolean {
  switch (g.kind) {
    case 'const': return !g.value;
    case 'atom': return true;
    case 'not': return false;
    case 'and': return g.items.some(selective);
    case 'or': return g.items.every(selective);
  }
}

export function planRules(rules: readonly CompiledRule[], first: number): RulePlan[] {
  return rules.map((rule, i) => ({ idx: first + i, rule, ...splitPred(rule.pred) }));
}

const gated = (g: Pred) => g.kind !== 'const';

const raw = (f: string) => fieldColumn(f, 'raw');
const lc = (f: string) => fieldColumn(f, 'lc');

/**
 * The detect statements for every rule of one log source, set-based: each reads the period's
 * events once (each Sigma field computed once per event, lowercased once per distinct value).
 *  1. sigma_keys: each distinct tuple of the repeating fields, with the rules whose gate on them holds;
 *  2. sigma_vals: each distinct tuple of the per-event fields the other rules' gates read, with theirs;
 *  3. the events joined to both, each (event, candidate rule) tested with that rule's whole
 *     predicate (a CASE tree on the rule index), matches into sigma_hits.
 * Every rule's values are bound ($n, renumbered rule after rule), never written into the text.
 * `rules[i]` is rule_idx `first + i`.
 */
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
 * detectStatements.
 */
export function detectStatement(ls: SigmaLogsource, rules: readonly CompiledRule[], first: number, period: { from: string; to: string }): { events: Statement; match: Statement } {
  const fields = [...new Set(rules.flatMap((r) => r.fields))].sort();
  const fieldExprs = fields.flatMap((f) => {
    const source = ls.fields[f]!;
    const expr = 'column' in source ? quoteIdent(source.column) : `(${source.sql})`;
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

export function detectStatements(ls: SigmaLogsource, rules: readonly CompiledRule[], first: number, period: { from: string; to: string }): Statement[] {
  const plans = planRules(rules, first);
  const fields = [...new Set(rules.flatMap((r) => r.fields))].sort();
  const keyFields = fields.filter((f) => !VALUE_FIELDS.has(f));
  const keyGated = plans.filter((p) => gated(p.keys));
  const valueGated = plans.filter((p) => gated(p.values));
  const valueFields = [...new Set(valueGated.flatMap((p) => predFields(p.values)))].sort();
  const always = plans.filter((p) => p.keys.kind === 'const' && p.keys.value).map((p) => p.idx);

  const fieldExprs = fields.map((f) => {
    const source = ls.fields[f]!;
    return `${'column' in source ? quoteIdent(source.column) : `(${source.sql})`} AS ${raw(f)}`;
  });
  const events = `(SELECT event_id, ts, ${ENTITY_COLUMNS[ls.table]}${fieldExprs.map((e) => `, ${e}`).join('')}
      FROM ${quoteIdent(ls.table)} WHERE ts >= $1::DATE AND ts < $2::DATE + 1)`;
  const lowered = (fs: readonly string[], from = '') => fs.map((f) => `, lower(${from}${raw(f)}::VARCHAR) AS ${lc(f)}`).join('');

  /** A statement's values: the period, then those each rule's SQL uses, renumbered. */
  const start = (): { values: DuckDBValue[]; add: (r: CompiledRule, sql: string) => string } => {
    const values: DuckDBValue[] = [period.from, period.to];
    return { values, add: (r, sql) => rebound(sql, r.values, values) };
  };

  /** A table of the distinct tuples of `fs`, each with the list of gated rules whose gate holds. */
  const gateTable = (name: string, fs: readonly string[], rulesGated: readonly RulePlan[], which: 'keys' | 'values'): Statement => {
    const s = start();
    const cases = rulesGated.map((p) => `CASE WHEN ${s.add(p.rule, renderPred(p[which]))} THEN ${p.idx} END`);
    const list = cases.length ? `list_filter([${cases.join(',\n')}], x -> x IS NOT NULL)` : '[]::INTEGER[]';
    const cols = fs.map(raw).join(', ');
    const sql = `
      CREATE OR REPLACE TEMP TABLE ${name} AS
      SELECT ${cols}, ${list}::INTEGER[] AS rules
      FROM (SELECT ${cols}${lowered(fs)} FROM (SELECT DISTINCT ${cols} FROM ${events}))`;
    return { sql, values: s.values };
  };

  const statements: Statement[] = [];
  if (keyFields.length) statements.push(gateTable('sigma_keys', keyFields, keyGated, 'keys'));
  if (valueFields.length) statements.push(gateTable('sigma_vals', valueFields, valueGated, 'values'));

  // 3. Candidates: the events with at least one rule to test, each field lowercased once; then per
  //    (event, rule) that rule's predicate, through a CASE tree on rule_idx (about log2(rules) tests each).
  const s = start();
  const byIdx = new Map(plans.map((p) => [p.idx, p]));
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) {
      const p = byIdx.get(lo)!;
      // A rule whose fields are all repeating or all per-event: its gate was the whole predicate.
      const exact = p.rule.fields.every((f) => !VALUE_FIELDS.has(f)) || p.rule.fields.every((f) => VALUE_FIELDS.has(f));
      return exact ? 'true' : s.add(p.rule, renderPred(p.rule.pred));
    }
    const mid = Math.floor((lo + hi) / 2);
    return `CASE WHEN rule_idx < ${mid} THEN ${tree(lo, mid)} ELSE ${tree(mid, hi)} END`;
  };
  const predicate = tree(first, first + rules.length);
  const on = (alias: string, fs: readonly string[]) => fs.map((f) => `e.${raw(f)} IS NOT DISTINCT FROM ${alias}.${raw(f)}`).join(' AND ');
  const lists = [
    ...(keyFields.length ? ['k.rules'] : []),
    ...(valueFields.length ? ['v.rules'] : []),
    `[${always.join(', ')}]::INTEGER[]`,
  ];
  const sql = `
    INSERT INTO sigma_hits
    WITH cand AS (
      SELECT e.*${lowered(fields, 'e.')}, list_distinct(list_concat(${lists.join(', ')})) AS rules
      FROM ${events} e
      ${keyFields.length ? `JOIN sigma_keys k ON ${on('k', keyFields)}` : ''}
      ${valueFields.length ? `JOIN sigma_vals v ON ${on('v', valueFields)}` : ''}
      WHERE len(list_concat(${lists.join(', ')})) > 0
    ),
    pairs AS (SELECT * EXCLUDE (rules), unnest(rules) AS rule_idx FROM cand)
    SELECT rule_idx, event_id, ts, host, host_fqdn, user_name, logon_id, process_id, command_line
    FROM pairs WHERE ${predicate}`;
  statements.push({ sql, values: s.values });
  return statements;
}

import type { DuckDBValue } from '@duckdb/node-api';
import type { SigmaLogsource } from '../../models/sigma-fields.js';
import { quoteIdent } from '../db.js';
import type { CompiledRule } from './compile-rule.js';
import { ENTITY_COLUMNS, fieldSource, lc, raw } from './detect-sql.js';
import type { Statement } from './detect-sql.js';
import { MAX_TERMS, VALUE_FIELDS, planRules } from './gates.js';
import type { RulePlan, Term } from './gates.js';
import { rebound } from './params.js';
import { predFields, renderPred } from './pred.js';
import type { Pred } from './pred.js';

/** A term's code: its rule's index times TERM_SLOTS, plus its place among the rule's terms. */
const TERM_SLOTS = MAX_TERMS;

/**
 * A term with gates on both kinds of field is tested on both (its per-event gate joins the
 * distinct-values table) when its gate on the repeating fields lets through more than one event in
 * BROAD_KEYS of the period: testing the per-event gate once per distinct value costs about a
 * sixteenth of testing the rule's predicate once per such event (measured on a 1,000-host day).
 */
const BROAD_KEYS = 16;

interface Coded { code: number; plan: RulePlan; term: Term }

const isTrue = (p: Pred) => p.kind === 'const' && p.value;

/**
 * The gated plan of one log source, set-based, a few statements whatever the number of rules:
 *  1. `keys`: sigma_keys, each distinct tuple of the repeating fields that some term's gate on them
 *     lets through, with how many events carry it and those terms; `counts` then says how many
 *     events each term lets through;
 *  2. `rest(counts)`: sigma_vals, the same for the per-event fields (terms gated on those fields
 *     only, and the broad terms of step 1); then the events left-joined to both, each (event,
 *     candidate rule) tested with the rule's whole predicate (a CASE tree on rule_idx, about
 *     log2(rules) tests each), matches into sigma_hits.
 * Every rule's values are bound ($n, renumbered rule after rule), never written into the text.
 * `rules[i]` is rule_idx `first + i`.
 */
export function gatedPlan(ls: SigmaLogsource, rules: readonly CompiledRule[], first: number, period: { from: string; to: string }) {
  const plans = planRules(rules, first);
  const coded: Coded[] = plans.flatMap((plan) => plan.terms.map((term, j) => ({ code: plan.idx * TERM_SLOTS + j, plan, term })));
  const fields = [...new Set(rules.flatMap((r) => r.fields))].sort();
  const keyFields = fields.filter((f) => !VALUE_FIELDS.has(f));
  const always = plans.filter((p) => p.always).map((p) => p.idx);
  const fieldExprs = fields.map((f) => `${fieldSource(ls, f)} AS ${raw(f)}`);
  const events = `(SELECT event_id, ts, ${ENTITY_COLUMNS[ls.table]}${fieldExprs.map((e) => `, ${e}`).join('')}
      FROM ${quoteIdent(ls.table)} WHERE ts >= $1::DATE AND ts < $2::DATE + 1)`;
  const lowered = (fs: readonly string[]) => fs.map((f) => `, lower(${raw(f)}::VARCHAR) AS ${lc(f)}`).join('');

  /**
   * A table of the distinct tuples of `fs` (with their events' count) where some term's gate holds,
   * each with the codes of those terms. Only those: the matching statement left-joins it, so its hash
   * table holds a few percent of the period's distinct command lines, not all of them (at 10,000
   * hosts 8 M tuples of three long strings, several gigabytes: the join ran out of memory at 1 GB).
   */
  const gateTable = (name: string, fs: readonly string[], gated: readonly Coded[], which: keyof Term): Statement => {
    const values: DuckDBValue[] = [period.from, period.to];
    const cases = gated.map((c) => `CASE WHEN ${rebound(renderPred(c.term[which]), c.plan.rule.values, values)} THEN ${c.code} END`);
    const list = cases.length ? `list_filter([${cases.join(',\n')}], x -> x IS NOT NULL)` : '[]';
    const cols = fs.map(raw).join(', ');
    const sql = `
      CREATE OR REPLACE TEMP TABLE ${name} AS
      SELECT * FROM (
        SELECT ${cols}, n, ${list}::INTEGER[] AS terms
        FROM (SELECT ${cols}, n${lowered(fs)} FROM (SELECT ${cols}, count(*) AS n FROM ${events} GROUP BY ALL)))
      WHERE len(terms) > 0`;
    return { sql, values };
  };

  const onKeys = coded.filter((c) => !isTrue(c.term.keys));
  const keys = keyFields.length ? gateTable('sigma_keys', keyFields, onKeys, 'keys') : null;
  return {
    keys,
    /** Events let through per term by its gate on the repeating fields (after `keys`). */
    counts: 'SELECT code, sum(n) AS n FROM (SELECT unnest(terms) AS code, n FROM sigma_keys) GROUP BY code',
    /** The other statements, given `counts`' rows and the period's event count. */
    rest(counts: readonly { code: number; n: number }[], periodEvents: number): Statement[] {
      const passing = new Map(counts.map((r) => [Number(r.code), Number(r.n)]));
      const broad = coded.filter((c) => !isTrue(c.term.keys) && !isTrue(c.term.values) && (passing.get(c.code) ?? 0) * BROAD_KEYS > periodEvents);
      const onValues = [...coded.filter((c) => isTrue(c.term.keys)), ...broad];
      const valueFields = [...new Set(onValues.flatMap((c) => predFields(c.term.values)))].sort();
      const out: Statement[] = [];
      if (valueFields.length) out.push(gateTable('sigma_vals', valueFields, onValues, 'values'));
      out.push(matchStatement(plans, first, rules.length, { events, fields, lowered, keyFields, valueFields, always, period },
        broad.map((c) => c.code)));
      return out;
    },
  };
}

interface MatchShape {
  events: string; fields: string[]; lowered: (fs: readonly string[]) => string;
  keyFields: string[]; valueFields: string[]; always: number[]; period: { from: string; to: string };
}

/**
 * Candidates: the events with at least one term passed (a broad term needs both of its gates), each
 * field lowercased once; then per (event, rule) that rule's predicate, through a CASE tree on rule_idx.
 */
function matchStatement(plans: readonly RulePlan[], first: number, count: number, m: MatchShape, broad: readonly number[]): Statement {
  const values: DuckDBValue[] = [m.period.from, m.period.to];
  // term codes are numbers made here (like the rule indices of the CASE tree), not values from telemetry
  const broadList = `[${broad.join(', ')}]::INTEGER[]`;
  const byIdx = new Map(plans.map((p) => [p.idx, p]));
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) {
      const p = byIdx.get(lo)!;
      return p.exact ? 'true' : rebound(renderPred(p.rule.pred), p.rule.values, values);
    }
    const mid = Math.floor((lo + hi) / 2);
    return `CASE WHEN rule_idx < ${mid} THEN ${tree(lo, mid)} ELSE ${tree(mid, hi)} END`;
  };
  const predicate = tree(first, first + count);
  const on = (alias: string, fs: readonly string[]) => fs.map((f) => `e.${raw(f)} IS NOT DISTINCT FROM ${alias}.${raw(f)}`).join(' AND ');
  // the gate tables hold the tuples with a term only (gateTable): an event without one has none
  const kTerms = m.keyFields.length ? 'coalesce(k.terms, []::INTEGER[])' : '[]::INTEGER[]';
  const vTerms = m.valueFields.length ? 'coalesce(v.terms, []::INTEGER[])' : '[]::INTEGER[]';
  const rules = `list_concat(
        list_transform(list_filter(${kTerms}, t -> NOT list_contains(${broadList}, t) OR list_contains(${vTerms}, t)), t -> t // ${TERM_SLOTS}),
        list_transform(list_filter(${vTerms}, t -> NOT list_contains(${broadList}, t)), t -> t // ${TERM_SLOTS}),
        [${m.always.join(', ')}]::INTEGER[])`;
  const sql = `
    INSERT INTO sigma_hits
    WITH joined AS (
      SELECT e.*, ${rules} AS rules
      FROM ${m.events} e
      ${m.keyFields.length ? `LEFT JOIN sigma_keys k ON ${on('k', m.keyFields)}` : ''}
      ${m.valueFields.length ? `LEFT JOIN sigma_vals v ON ${on('v', m.valueFields)}` : ''}
    ),
    cand AS (SELECT * EXCLUDE (rules)${m.lowered(m.fields)}, list_distinct(rules) AS rules FROM joined WHERE len(rules) > 0),
    pairs AS (SELECT * EXCLUDE (rules), unnest(rules) AS rule_idx FROM cand)
    SELECT rule_idx, event_id, ts, host, host_fqdn, user_name, logon_id, process_id, command_line
    FROM pairs WHERE ${predicate}`;
  return { sql, values };
}

import type { DuckDBValue } from '@duckdb/node-api';
import type { SigmaLogsource } from '../../models/sigma-fields.js';
import { quoteIdent } from '../db.js';
import type { CompiledRule } from './compile-rule.js';
import { ENTITY_COLUMNS, fieldSource, lc, raw } from './detect-sql.js';
import type { Statement } from './detect-sql.js';
import { MAX_TERMS, VALUE_FIELDS, planRules } from './gates.js';
import type { RulePlan, Term } from './gates.js';
import { rebound } from './params.js';
import { necessaryRegexes, predFields, renderPred } from './pred.js';
import type { Pred } from './pred.js';
import { screenCondition, screenSql } from './screens.js';

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
 *     lets through, with how many events carry it and those terms (the gates that are patterns
 *     behind screens, as in 3); `counts` then says how many events each term lets through;
 *  2. `sample(counts)`: how many of a sample of events each per-event gate lets through;
 *  3. `rest(counts, n, sampled)`: sigma_vals, the same as 1 for the per-event fields (terms gated on
 *     those fields only, and the broad terms of step 1), the narrow gates that are patterns tested
 *     only where a few alternations of their texts or patterns match (screens.ts; a tuple in 30 on
 *     a fleet's day); then
 *     the events left-joined to both, each (event, candidate rule) tested with the rule's whole
 *     predicate (a CASE tree on rule_idx, about log2(rules) tests each; a rule with many candidates,
 *     HEAVY_RULES, as a column over all of them instead), matches into sigma_hits.
 * Every rule's values are bound ($n, renumbered rule after rule), never written into the text.
 * `rules[i]` is rule_idx `first + i`.
 */
export function gatedPlan(ls: SigmaLogsource, rules: readonly CompiledRule[], first: number, period: { from: string; to: string }, heavyRules: HeavyRules = HEAVY_RULES) {
  const plans = planRules(rules, first);
  const coded: Coded[] = plans.flatMap((plan) => plan.terms.map((term, j) => ({ code: plan.idx * TERM_SLOTS + j, plan, term })));
  const fields = [...new Set(rules.flatMap((r) => r.fields))].sort();
  const keyFields = fields.filter((f) => !VALUE_FIELDS.has(f));
  const always = plans.filter((p) => p.always).map((p) => p.idx);
  const fieldExprs = fields.map((f) => `${fieldSource(ls, f)} AS ${raw(f)}`);
  const events = `(SELECT event_id, ts, ${ENTITY_COLUMNS[ls.table]}${fieldExprs.map((e) => `, ${e}`).join('')}
      FROM ${quoteIdent(ls.table)} WHERE ts >= $1::DATE AND ts < $2::DATE + 1)`;
  const lowered = (fs: readonly string[]) => fs.map((f) => `, lower(${raw(f)}::VARCHAR) AS ${lc(f)}`).join('');

  const source: Source = { events, lowered, period };
  const onKeys = coded.filter((c) => !isTrue(c.term.keys));
  /** Whether a term's gate (`which`) holds only where one of its patterns matches, so that a screen can stand before it. */
  const screenable = (which: keyof Term) => (c: Coded) => necessaryRegexes(c.term[which]) !== undefined;
  const keys = keyFields.length
    ? gateTable(source, 'sigma_keys', keyFields, onKeys, 'keys', new Set(onKeys.filter(screenable('keys')).map((c) => c.code)))
    : null;
  /** `counts`' rows as term code -> events its gate on the repeating fields lets through. */
  const passing = (counts: readonly { code: number; n: number }[]) => new Map(counts.map((r) => [Number(r.code), Number(r.n)]));
  /** The terms tested on the per-event fields (given `counts`: the broad terms of step 1 too), and those fields. */
  const onValues = (counts: readonly { code: number; n: number }[], periodEvents: number) => {
    const passed = passing(counts);
    const broad = coded.filter((c) => !isTrue(c.term.keys) && !isTrue(c.term.values) && (passed.get(c.code) ?? 0) * BROAD_KEYS > periodEvents);
    const terms = [...coded.filter((c) => isTrue(c.term.keys)), ...broad];
    return { passed, broad, terms, fields: [...new Set(terms.flatMap((c) => predFields(c.term.values)))].sort() };
  };
  return {
    keys,
    /** Events let through per term by its gate on the repeating fields (after `keys`). */
    counts: 'SELECT code, sum(n) AS n FROM (SELECT unnest(terms) AS code, n FROM sigma_keys) GROUP BY code',
    /**
     * How many of a sample of the period's events (SAMPLE_EVENTS) each screenable per-event term's
     * screens match (its texts, or its patterns where it has none: as sigma_vals screens it), rows
     * (code, n); null when there is none. A term whose patterns match more than
     * one sampled event in SCREEN_BROAD (`powershell`, ` -n `) would open the screen to most tuples:
     * it is tested on every tuple instead, so that the screen stays narrow for the others.
     */
    sample(counts: readonly { code: number; n: number }[], periodEvents: number): Statement | null {
      const v = onValues(counts, periodEvents);
      const terms = v.terms.filter(screenable('values'));
      return terms.length ? sampleStatement(source, v.fields, terms) : null;
    },
    /** The other statements, given `counts`' rows, the period's event count and `sample`'s rows. */
    rest(counts: readonly { code: number; n: number }[], periodEvents: number, sampled: readonly { code: number; n: number }[]): Statement[] {
      const v = onValues(counts, periodEvents);
      const sampledBroad = new Set(sampled.filter((r) => Number(r.n) * SCREEN_BROAD > Math.min(SAMPLE_EVENTS, periodEvents)).map((r) => Number(r.code)));
      const screened = new Set(v.terms.filter((c) => screenable('values')(c) && !sampledBroad.has(c.code)).map((c) => c.code));
      const out: Statement[] = [];
      if (v.fields.length) out.push(gateTable(source, 'sigma_vals', v.fields, v.terms, 'values', screened));
      const heavy = heavyRuleIdx(plans, coded, v.passed, new Set(v.broad.map((c) => c.code)), periodEvents, heavyRules);
      out.push(matchStatement(plans, first, rules.length, { events, fields, lowered, keyFields, valueFields: v.fields, always, period },
        v.broad.map((c) => c.code), heavy));
      return out;
    },
  };
}

/** Where the period's events come from: the events subquery, the lowercased fields, the period. */
interface Source { events: string; lowered: (fs: readonly string[]) => string; period: { from: string; to: string } }

/**
 * A table of the distinct tuples of `fs` (with their events' count) where some term's gate holds,
 * each with the codes of those terms. Only those: the matching statement left-joins it, so its hash
 * table holds a few percent of the period's distinct command lines, not all of them (at 10,000
 * hosts 8 M tuples of three long strings, several gigabytes: the join ran out of memory at 1 GB).
 * The `screened` terms (a pattern of theirs must match where their gate holds) are tested only on
 * the tuples where a screen holding one of their patterns (or of their texts) matches: the patterns
 * are a few alternations (screens.ts), each tested once per tuple (sigma_vals's texts behind guards
 * that most tuples do not pass), and a tuple that passes one tests the terms with a pattern in that
 * screen only (on a 1,000-host day 42,000 tuples passed a screen; testing every screened term on
 * each of them was half of this statement).
 */
function gateTable(src: Source, name: string, fs: readonly string[], gated: readonly Coded[], which: keyof Term, screened: ReadonlySet<number>): Statement {
  const values: DuckDBValue[] = [src.period.from, src.period.to];
  const inScreen = gated.filter((c) => screened.has(c.code));
  const other = gated.filter((c) => !screened.has(c.code));
  const { guards, screens } = screenSql(inScreen.flatMap((c) => necessaryRegexes(c.term[which])!), values, which === 'values' ? 'guarded texts' : 'patterns');
  // each screen's terms: those with a pattern in it (a term whose patterns span two screens is in both)
  const byScreen = screens.map((sc) => inScreen.filter((c) => necessaryRegexes(c.term[which])!.some((r) => sc.holds(r))));
  const screenCols = screens.map((sc, i) => `, ${sc.test} AS "screen:${i}"`).join('');
  const guardCols = guards.map((g, i) => `, ${g} AS "guard:${i}"`).join('');
  const lists = [
    ...byScreen.map((cs, i) => `CASE WHEN "screen:${i}" THEN ${codeList(cs, which, values)} ELSE []::INTEGER[] END`),
    codeList(other, which, values),
  ];
  const list = lists.length === 1 ? lists[0]! : `list_distinct(flatten([${lists.join(',\n')}]))`;
  const cols = fs.map(raw).join(', ');
  const sql = `
    CREATE OR REPLACE TEMP TABLE ${name} AS
    SELECT * FROM (
      SELECT ${cols}, n, ${list}::INTEGER[] AS terms
      FROM (SELECT *${screenCols} FROM (SELECT *${guardCols} FROM (SELECT ${cols}, n${src.lowered(fs)} FROM (SELECT ${cols}, count(*) AS n FROM ${src.events} GROUP BY ALL)))))
    -- (streamed, not a materialized CTE: at 10,000 hosts the distinct tuples of sigma_vals are 8 M
    -- long strings, and storing them all before the filter ran the day out of memory at 1 GB)
    WHERE len(terms) > 0`;
  return { sql, values };
}

/** Rows (code, n): on how many of SAMPLE_EVENTS events of the period each term's screens (texts or patterns) match. */
function sampleStatement(src: Source, fs: readonly string[], terms: readonly Coded[]): Statement {
  const values: DuckDBValue[] = [src.period.from, src.period.to];
  const cols = fs.map(raw).join(', ');
  const screens = codesWhere(terms, (c) => screenCondition(necessaryRegexes(c.term.values)!, values));
  const sql = `
    SELECT code, count(*) AS n
    FROM (SELECT unnest(${screens}) AS code
      FROM (SELECT ${cols}${src.lowered(fs)} FROM (SELECT ${cols} FROM ${src.events}) TABLESAMPLE reservoir(${SAMPLE_EVENTS} ROWS) REPEATABLE (7)))
    GROUP BY code`;
  return { sql, values };
}

/** The codes of the terms whose gate (`which`) holds on a row, as a list. */
function codeList(cs: readonly Coded[], which: keyof Term, values: DuckDBValue[]): string {
  return codesWhere(cs, (c) => rebound(renderPred(c.term[which]), c.plan.rule.values, values));
}

/** The codes of the terms whose condition holds on a row, as a list. */
function codesWhere(cs: readonly Coded[], condition: (c: Coded) => string): string {
  if (cs.length === 0) return '[]::INTEGER[]';
  return `list_filter([${cs.map((c) => `CASE WHEN ${condition(c)} THEN ${c.code} END`).join(',\n')}], x -> x IS NOT NULL)`;
}

/** Events sampled to find the broad per-event gates (sample); a 1,000-host day's gates take ~0.3 s on them. */
const SAMPLE_EVENTS = 4096;
/** A gate holding on more than one sampled event in this many is not screened (on a 1,000-host day: 11 of 423). */
const SCREEN_BROAD = 64;

/**
 * Which rules the matching statement tests as columns of their own rather than pair by pair
 * (matchStatement): those whose gates on the repeating fields let through at least `min` events
 * and more than one in `share` of the period's (and those tested on every event). On the bench's
 * 1,000-host day the pairs tested one by one go from 1.26 M to 0.13 M (SigmaHQ's uncommon svchost
 * command line alone had 0.35 M, all without a match).
 */
export interface HeavyRules { min: number; share: number }
export const HEAVY_RULES: HeavyRules = { min: 2048, share: 512 };

/**
 * The heavy rules' numbers (HeavyRules): a rule's candidates counted as the events its terms' key
 * gates let through (`passed`, from sigma_keys), the terms tested on keys alone (not the broad ones,
 * which the values' gates narrow too); and the rules tested on every event.
 */
function heavyRuleIdx(plans: readonly RulePlan[], coded: readonly Coded[], passed: ReadonlyMap<number, number>, broad: ReadonlySet<number>,
  periodEvents: number, heavy: HeavyRules): number[] {
  const candidates = new Map<number, number>();
  for (const c of coded) {
    if (isTrue(c.term.keys) || broad.has(c.code)) continue;
    candidates.set(c.plan.idx, (candidates.get(c.plan.idx) ?? 0) + (passed.get(c.code) ?? 0));
  }
  const isHeavy = (n: number) => n >= heavy.min && n * heavy.share > periodEvents;
  return plans.filter((p) => p.always || isHeavy(candidates.get(p.idx) ?? 0)).map((p) => p.idx);
}

interface MatchShape {
  events: string; fields: string[]; lowered: (fs: readonly string[]) => string;
  keyFields: string[]; valueFields: string[]; always: number[]; period: { from: string; to: string };
}

/**
 * Candidates: the events with at least one term passed (a broad term needs both of its gates), each
 * field lowercased once; then per (event, rule) that rule's predicate, through a CASE tree on rule_idx.
 */
function matchStatement(plans: readonly RulePlan[], first: number, count: number, m: MatchShape, broad: readonly number[], heavy: readonly number[]): Statement {
  const values: DuckDBValue[] = [m.period.from, m.period.to];
  const heavySet = new Set(heavy);
  // term codes are numbers made here (like the rule indices of the CASE tree), not values from telemetry
  const broadList = `[${broad.join(', ')}]::INTEGER[]`;
  const byIdx = new Map(plans.map((p) => [p.idx, p]));
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) {
      const p = byIdx.get(lo)!;
      return p.exact || heavySet.has(lo) ? 'true' : rebound(renderPred(p.rule.pred), p.rule.values, values);
    }
    const mid = Math.floor((lo + hi) / 2);
    return `CASE WHEN rule_idx < ${mid} THEN ${tree(lo, mid)} ELSE ${tree(mid, hi)} END`;
  };
  const predicate = tree(first, first + count);
  const on = (alias: string, fs: readonly string[]) => fs.map((f) => `e.${raw(f)} IS NOT DISTINCT FROM ${alias}.${raw(f)}`).join(' AND ');
  // Per tuple of a gate table (evaluated as the join's build side, once per tuple, not per event):
  // its terms' rules, the broad terms left out; the keys' broad terms, which hold where the values'
  // table has them too. (Per event over the joined rows, these list lambdas took 5.1 s of CPU at
  // 10,000 hosts.)
  const ruleOf = (terms: string) => `list_transform(${terms}, t -> t // ${TERM_SLOTS})`;
  const narrow = (terms: string) => `list_filter(${terms}, t -> NOT list_contains(${broadList}, t))`;
  const keysTable = `(SELECT ${m.keyFields.map(raw).join(', ')}, ${ruleOf(narrow('terms'))} AS key_rules,
        list_filter(terms, t -> list_contains(${broadList}, t)) AS key_broad FROM sigma_keys)`;
  const valuesTable = `(SELECT ${m.valueFields.map(raw).join(', ')}, terms AS value_terms, ${ruleOf(narrow('terms'))} AS value_rules FROM sigma_vals)`;
  // the gate tables hold the tuples with a term only (gateTable): an event without one has none
  const none = '[]::INTEGER[]';
  const kRules = m.keyFields.length ? `coalesce(k.key_rules, ${none})` : none;
  const vRules = m.valueFields.length ? `coalesce(v.value_rules, ${none})` : none;
  const kBroad = m.keyFields.length && broad.length
    ? `CASE WHEN len(k.key_broad) > 0 THEN ${ruleOf(`list_filter(k.key_broad, t -> list_contains(${m.valueFields.length ? `coalesce(v.value_terms, ${none})` : none}, t))`)} ELSE ${none} END`
    : none;
  const rules = `list_concat(${kRules}, ${vRules}, ${kBroad}, [${m.always.join(', ')}]::INTEGER[])`;
  // The heavy rules' matches, each tested on the candidates that carry it (the conjunction in a
  // CASE condition is evaluated on the rows its first test selects), then the other rules' pairs:
  // a pair's CASE tree evaluates one leaf for a few rows of a chunk, a heavy rule's column a leaf
  // for all of them (the pairs' test took 3.7 s on a 1,000-host day, a third of them one rule's).
  const heavyHits = heavy.map((idx) => {
    const p = byIdx.get(idx)!;
    const holds = p.exact ? '' : ` AND (${rebound(renderPred(p.rule.pred), p.rule.values, values)})`;
    return `CASE WHEN list_contains(rules, ${idx})${holds} THEN ${idx} END`;
  });
  const checked = heavy.length
    ? `list_concat(list_filter([${heavyHits.join(',\n')}], x -> x IS NOT NULL), list_filter(rules, r -> NOT list_contains([${heavy.join(', ')}]::INTEGER[], r)))`
    : 'rules';
  const sql = `
    INSERT INTO sigma_hits
    WITH joined AS (
      SELECT e.*, ${rules} AS rules
      FROM ${m.events} e
      ${m.keyFields.length ? `LEFT JOIN ${keysTable} k ON ${on('k', m.keyFields)}` : ''}
      ${m.valueFields.length ? `LEFT JOIN ${valuesTable} v ON ${on('v', m.valueFields)}` : ''}
    ),
    cand AS (SELECT * EXCLUDE (rules)${m.lowered(m.fields)}, list_distinct(rules) AS rules FROM joined WHERE len(rules) > 0),
    checked AS (SELECT * EXCLUDE (rules), ${checked} AS rules FROM cand),
    pairs AS (SELECT * EXCLUDE (rules), unnest(rules) AS rule_idx FROM checked)
    SELECT rule_idx, event_id, ts, host, host_fqdn, user_name, logon_id, process_id, command_line
    FROM pairs WHERE ${predicate}`;
  return { sql, values };
}

import type { DuckDBValue } from '@duckdb/node-api';
import { SIGMA_LOGSOURCES } from '../../models/sigma-fields.js';
import type { SigmaLogsource } from '../../models/sigma-fields.js';
import { conditionPred, parseCondition } from './condition.js';
import type { FieldColumns, FieldContext } from './field-sql.js';
import { fieldPred } from './field-sql.js';
import { Params } from './params.js';
import { junction, renderPred } from './pred.js';
import type { Pred } from './pred.js';
import type { SigmaRule } from './rule-file.js';
import { UnsupportedRuleError } from './rule-file.js';

/** A rule as one SQL predicate over its log source's detect columns, with its bound values. */
export interface CompiledRule {
  rule: SigmaRule;
  logsource: SigmaLogsource;
  /** Placeholders $1..$n, numbered for this rule alone; true or false, never NULL. */
  sql: string;
  /** The predicate as a tree (its atoms use the same placeholders as `sql`). */
  pred: Pred;
  values: DuckDBValue[];
  /** The Sigma fields the predicate reads (the statement computes only those). */
  fields: string[];
  /** The RE2 patterns it binds: checked by DuckDB before the rule runs. */
  regexes: string[];
}

/** The detect statement's columns for a Sigma field (pipeline/sigma/detect-sql.ts defines them). */
export const fieldColumn = (field: string, kind: 'lc' | 'raw'): string => `"${kind}:${field.replaceAll('"', '""')}"`;

/** The log source whose keys the rule's logsource carries (case-insensitively). */
export function logsourceOf(rule: SigmaRule): SigmaLogsource {
  const found = SIGMA_LOGSOURCES.find((ls) => Object.entries(ls.match).every(([k, v]) => (rule.logsource[k] ?? '').toLowerCase() === v));
  if (!found) {
    const named = ['product', 'category', 'service'].filter((k) => rule.logsource[k]).map((k) => `${k} ${rule.logsource[k]}`).join(', ');
    throw new UnsupportedRuleError('log source not mapped', named || 'none');
  }
  return found;
}

/**
 * A selection: a map (fields AND'ed) or a list of maps (OR'ed); plain values are keyword searches.
 * Two-valued: a field that is absent makes its test false, never unknown (pred.ts renders it so).
 */
function selectionPred(ctx: FieldContext, name: string, value: unknown): Pred {
  const mapPred = (m: Record<string, unknown>): Pred => {
    const entries = Object.entries(m);
    if (entries.length === 0) throw new UnsupportedRuleError('empty selection', name);
    return junction('and', entries.map(([k, v]) => fieldPred(ctx, k, v)));
  };
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(value)) return mapPred(value);
  if (Array.isArray(value) && value.length > 0 && value.every(isMap)) return junction('or', value.map(mapPred));
  throw new UnsupportedRuleError('keyword search (a value without a field)', name);
}

/** For log sources of several event kinds: the rule's EventIDs must all be loaded ones. */
function checkEventIds(rule: SigmaRule, ls: SigmaLogsource): void {
  if (!ls.eventIds) return;
  const ids: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.split('|')[0] === 'EventID') ids.push(...(Array.isArray(x) ? x : [x]));
        else walk(x);
      }
    }
  };
  walk(rule.detection);
  const missing = ids.filter((id) => !ls.eventIds!.includes(Number(id)));
  if (ids.length === 0) throw new UnsupportedRuleError(`${ls.name}: rule without an EventID`);
  if (missing.length > 0) throw new UnsupportedRuleError(`${ls.name}: EventID not loaded`, `${[...new Set(missing.map(String))].join(', ')} (loaded: ${ls.eventIds.join(', ')})`);
}

/** Compile one rule; an unsupported feature or an unmapped field throws UnsupportedRuleError. */
export function compileRule(rule: SigmaRule): CompiledRule {
  const ls = logsourceOf(rule);
  checkEventIds(rule, ls);
  const { condition, timeframe, ...selections } = rule.detection;
  if (timeframe !== undefined) throw new UnsupportedRuleError('timeframe (correlation)');
  const conditions = Array.isArray(condition) ? condition.map(String) : typeof condition === 'string' ? [condition] : [];
  if (conditions.length === 0) throw new UnsupportedRuleError('no condition');
  const used = new Set<string>();
  const params = new Params();
  const field = (name: string): FieldColumns => {
    const source = ls.fields[name];
    if (!source) throw new UnsupportedRuleError(`field not available in ${ls.name}`, name);
    used.add(name);
    return { lower: fieldColumn(name, 'lc'), raw: fieldColumn(name, 'raw'), rawText: `${fieldColumn(name, 'raw')}::VARCHAR`, integer: source.type === 'integer' };
  };
  const ctx: FieldContext = { params, field, regexes: [] };
  const compiled = new Map(Object.entries(selections).map(([name, value]) => [name, selectionPred(ctx, name, value)]));
  const pred = junction('or', conditions.map((c) => conditionPred(parseCondition(c), compiled)));
  const sql = `coalesce(${renderPred(pred)}, false)`;
  return { rule, logsource: ls, sql, pred, values: params.values, fields: [...used].sort(), regexes: ctx.regexes };
}

import type { DetectConfig } from '../../models/detect-config.js';
import type { Database } from '../db.js';
import { checkDate } from '../dates.js';
import { OptionError } from '../errors.js';
import { checkSelection, loadRuleSet, requireRulesToRun } from './rule-set.js';
import type { RuleSet, UnsupportedRule } from './rule-set.js';
import { detectAlerts, referenceFor, storeSigmaAlerts } from './run-detect.js';

export interface DetectSummary {
  from: string;
  to: string;
  rulesDir: string;
  /** Rules compiled and run. */
  rules: number;
  unsupported: UnsupportedRule[];
  notSelected: number;
  matches: number;
  /** New alerts stored (0 when the period was detected before). */
  added: number;
  seconds: number;
}

/** The rules of a detect config, compiled. */
export function ruleSetOf(config: Pick<DetectConfig, 'rules' | 'min_level' | 'statuses'>): RuleSet {
  return loadRuleSet(config.rules, checkSelection(config.min_level, config.statuses));
}

/**
 * `alert-context detect`: every selected rule over the events of [from, to] (UTC days) in one
 * pass per log source, the matches stored as alerts (source 'sigma') in one transaction.
 */
export async function detectPeriod(db: Database, config: Pick<DetectConfig, 'rules' | 'min_level' | 'statuses'>, period: { from: string; to: string }): Promise<DetectSummary> {
  const from = checkDate(period.from, '--from');
  const to = checkDate(period.to, '--to');
  if (to < from) throw new OptionError('--to', `${to} is before ${from}`);
  const set = ruleSetOf(config);
  requireRulesToRun(set, config.rules, '--rules');
  const found = await detectAlerts(db, set, { from, to }, referenceFor(config.rules));
  // One INSERT of the alerts not stored yet: atomic by itself, and a rerun adds nothing.
  const r = { ...found, added: await storeSigmaAlerts(db) };
  await db.exec('DROP TABLE IF EXISTS sigma_alerts; DROP TABLE IF EXISTS sigma_hits; DROP TABLE IF EXISTS sigma_rules;');
  return {
    from, to, rulesDir: config.rules, rules: r.rules, unsupported: [...set.unsupported, ...r.refused], notSelected: set.notSelected,
    matches: r.hits, added: r.added, seconds: r.seconds,
  };
}

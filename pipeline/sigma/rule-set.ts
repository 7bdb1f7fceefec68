import { OptionError } from '../errors.js';
import { compileRule } from './compile-rule.js';
import type { CompiledRule } from './compile-rule.js';
import { UnsupportedRuleError, readRules } from './rule-file.js';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];
export const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export const DEFAULT_STATUSES: readonly string[] = ['stable', 'test', 'experimental'];

export interface RuleSelection {
  /** Rules at this level or above. */
  minLevel: Level;
  /** Rules with one of these statuses. */
  statuses: readonly string[];
}

/** A rule that was not compiled, and why. */
export interface UnsupportedRule { file: string; id: string; title: string; reason: string; detail?: string }

export interface RuleSet {
  compiled: CompiledRule[];
  unsupported: UnsupportedRule[];
  /** Rules left out by --min-level / --rule-status. */
  notSelected: number;
}

/** `names`: what to call the level and the statuses in an error (the options, or a config file's keys). */
export function checkSelection(minLevel: string, statuses: readonly string[], names = { level: '--min-level', statuses: '--rule-status' }): RuleSelection {
  if (!(LEVELS as readonly string[]).includes(minLevel)) throw new OptionError(names.level, `${minLevel} is not one of ${LEVELS.join(', ')}`);
  for (const s of statuses) if (!(STATUSES as readonly string[]).includes(s)) throw new OptionError(names.statuses, `${s} is not one of ${STATUSES.join(', ')}`);
  return { minLevel: minLevel as Level, statuses };
}

/** Read every rule under `dir`, keep the selected ones and compile them; the rest are listed with their reasons. */
export function loadRuleSet(dir: string, selection: RuleSelection): RuleSet {
  const { rules, unreadable } = readRules(dir);
  const unsupported: UnsupportedRule[] = unreadable.map((u) => ({ file: u.file, id: '', title: '', reason: u.reason }));
  const compiled: CompiledRule[] = [];
  let notSelected = 0;
  const min = LEVELS.indexOf(selection.minLevel);
  for (const rule of rules) {
    const level = LEVELS.indexOf(rule.level as Level);
    if (level < min || !selection.statuses.includes(rule.status)) {
      notSelected++;
      continue;
    }
    try {
      compiled.push(compileRule(rule));
    } catch (err) {
      if (!(err instanceof UnsupportedRuleError)) throw err;
      unsupported.push({ file: rule.file, id: rule.id, title: rule.title, reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) });
    }
  }
  // Two files with one rule id would give their alerts one id: the first (by path) is kept.
  const seen = new Set<string>();
  const unique = compiled.filter((c) => {
    if (seen.has(c.rule.id)) {
      unsupported.push({ file: c.rule.file, id: c.rule.id, title: c.rule.title, reason: 'rule id used by another rule' });
      return false;
    }
    seen.add(c.rule.id);
    return true;
  });
  return { compiled: unique, unsupported, notSelected };
}

/**
 * A rule set with no rule to run is refused: `where` names the option or config key that chose the
 * rules, `hint` what to do (an empty set crashed detect, and made nightly's detect stage silently empty).
 */
export function requireRulesToRun(set: RuleSet, rulesDir: string, where: string, hint = ''): void {
  if (set.compiled.length > 0) return;
  throw new OptionError(where, `${rulesDir}: no rule to run (${set.unsupported.length} file(s) unsupported or unreadable, ${set.notSelected} not selected by level or status)${hint}`);
}

/** Unsupported rules counted per reason, most frequent first (ties by reason). */
export function groupReasons(unsupported: readonly UnsupportedRule[]): { reason: string; rules: number }[] {
  const counts = new Map<string, number>();
  for (const u of unsupported) counts.set(u.reason, (counts.get(u.reason) ?? 0) + 1);
  return [...counts].map(([reason, rules]) => ({ reason, rules })).sort((a, b) => b.rules - a.rules || a.reason.localeCompare(b.reason));
}

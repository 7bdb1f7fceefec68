import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { SIGMA_LOGSOURCES } from '../../models/sigma-fields.js';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';
import type { CompiledRule } from './compile-rule.js';
import { GATED_MIN_EVENTS, SINGLE_PLAN_OFF_OPTIMIZERS, detectStatement, periodEventsSql } from './detect-sql.js';
import { gatedPlan } from './gated-plan.js';
import type { HeavyRules } from './gated-plan.js';
import type { RuleSet, UnsupportedRule } from './rule-set.js';

/** Attribution every alert from a SigmaHQ rule carries (the DRL 1.1 asks for it). */
export const SIGMAHQ_REFERENCE = 'SigmaHQ, https://github.com/SigmaHQ/sigma (Detection Rule License 1.1)';

export interface DetectResult {
  /** Rules that ran, per log source name. */
  rules: number;
  /** Events matched (an event matched by two rules counts twice). */
  hits: number;
  /** Alerts added (a rerun of a period adds none). */
  added: number;
  /** Rules DuckDB's regular expression engine refused (added to the rule set's unsupported). */
  refused: UnsupportedRule[];
  seconds: number;
}

/** A regular expression DuckDB's RE2 refuses makes its rule unsupported (the statement would fail whole). */
async function refusedRegexes(db: Database, rules: readonly CompiledRule[]): Promise<Map<CompiledRule, string>> {
  const refused = new Map<CompiledRule, string>();
  for (const r of rules) {
    for (const pattern of r.regexes) {
      try {
        await db.all('SELECT regexp_matches($1, $2) AS ok', ['', pattern]);
      } catch (err) {
        refused.set(r, `${pattern}: ${(err as Error).message.split('\n')[0]}`);
        break;
      }
    }
  }
  return refused;
}

/** The rules' metadata as the temp table sigma_rules (rule_idx = position in `rules`). */
async function writeRulesTable(db: Database, rules: readonly CompiledRule[], reference: string | null): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE sigma_rules (rule_idx INTEGER, rule_id VARCHAR, title VARCHAR, level VARCHAR,
    author VARCHAR, tags VARCHAR[], file VARCHAR, reference VARCHAR)`);
  if (rules.length === 0) return; // (an empty list has no type to bind)
  const col = (f: (r: CompiledRule) => string) => listValue(rules.map(f));
  await db.run(
    `INSERT INTO sigma_rules
     SELECT i::INTEGER - 1, $1[i], $2[i], $3[i], $4[i], from_json($5[i], '["VARCHAR"]'), $6[i], $7 FROM range(1, len($1) + 1) t(i)`,
    [
      col((r) => r.rule.id), col((r) => r.rule.title), col((r) => r.rule.level), col((r) => r.rule.author),
      col((r) => JSON.stringify(r.rule.tags.filter((t) => t.toLowerCase().startsWith('attack.')))), col((r) => r.rule.file), reference,
    ],
  );
}

/** SigmaHQ's attribution when the rules folder carries the DRL licence, else none (a team's own rules). */
export function referenceFor(rulesDir: string): string | null {
  const licence = join(rulesDir, 'LICENSE');
  return existsSync(licence) && /Detection Rule License/i.test(readFileSync(licence, 'utf8')) ? SIGMAHQ_REFERENCE : null;
}

/**
 * Which statements detect runs per log source: 'single' (one, detectStatement) or 'gated' (the
 * gates on distinct values, then the candidates); by default single below
 * GATED_MIN_EVENTS events. Both give the same matches (the regression test runs the gated plan).
 * `heavy`: which rules the gated plan's matching statement tests as columns (HEAVY_RULES).
 */
export interface DetectPlanOptions { plan?: 'single' | 'gated'; heavy?: HeavyRules }

/**
 * Run every compiled rule over the events of [from, to] (whole UTC days): a few statements per log
 * source, matches into the temp table sigma_alerts as alert rows. Alert ids are stable (rule id
 * and event id), so storing them again adds nothing (storeSigmaAlerts).
 */
export async function detectAlerts(db: Database, set: RuleSet, period: { from: string; to: string }, reference: string | null, opts: DetectPlanOptions = {}): Promise<DetectResult> {
  const started = performance.now();
  const refusedBy = await refusedRegexes(db, set.compiled);
  const rules = SIGMA_LOGSOURCES.flatMap((ls) => set.compiled.filter((r) => r.logsource === ls && !refusedBy.has(r)));
  const refused = [...refusedBy].map(([r, detail]) => ({ file: r.rule.file, id: r.rule.id, title: r.rule.title, reason: 'regular expression RE2 refuses', detail }));
  await writeRulesTable(db, rules, reference);
  await db.exec(`CREATE OR REPLACE TEMP TABLE sigma_hits (rule_idx INTEGER, event_id VARCHAR, ts TIMESTAMP, host VARCHAR, host_fqdn VARCHAR,
    user_name VARCHAR, logon_id VARCHAR, process_id BIGINT, command_line VARCHAR)`);
  // A few statements per log source (detect-sql.ts); rule_idx is the rule's position in `rules`, grouped by log source.
  let first = 0;
  for (const ls of SIGMA_LOGSOURCES) {
    const group = rules.slice(first).filter((r) => r.logsource === ls);
    if (group.length > 0) {
      const { n } = await db.one<{ n: number }>(periodEventsSql(ls), [period.from, period.to]);
      const plan = opts.plan ?? (Number(n) < GATED_MIN_EVENTS ? 'single' : 'gated');
      if (Number(n) === 0) {
        // no event to test
      } else if (plan === 'single') {
        const { events, match } = detectStatement(ls, group, first, period);
        await db.run(events.sql, events.values);
        const { was } = await db.one<{ was: string }>("SELECT current_setting('disabled_optimizers') AS was");
        await db.run(`SET disabled_optimizers = '${SINGLE_PLAN_OFF_OPTIMIZERS}'`);
        try {
          await db.run(match.sql, match.values);
        } finally {
          await db.run('SET disabled_optimizers = $1', [was]);
          await db.exec('DROP TABLE IF EXISTS sigma_ev');
        }
      } else {
        const gated = gatedPlan(ls, group, first, period, opts.heavy);
        if (gated.keys) await db.run(gated.keys.sql, gated.keys.values);
        const counts = gated.keys ? await db.all<{ code: number; n: number }>(gated.counts) : [];
        const sample = gated.sample(counts, Number(n));
        const sampled = sample ? await db.all<{ code: number; n: number }>(sample.sql, sample.values) : [];
        for (const { sql, values } of gated.rest(counts, Number(n), sampled)) await db.run(sql, values);
        await db.exec('DROP TABLE IF EXISTS sigma_keys; DROP TABLE IF EXISTS sigma_vals;');
      }
    }
    first += group.length;
  }
  await runModel(db, 'sigma/sigma_alerts.sql', {});
  const { n } = await db.one<{ n: number }>('SELECT count(*) AS n FROM sigma_alerts');
  return { rules: rules.length, hits: n, added: 0, refused, seconds: (performance.now() - started) / 1000 };
}

/** Add sigma_alerts to `alerts` (those not stored yet); returns how many were added. */
export async function storeSigmaAlerts(db: Database, target = 'alerts'): Promise<number> {
  const { n } = await db.one<{ n: number }>(`SELECT count(*) AS n FROM sigma_alerts WHERE alert_id NOT IN (SELECT alert_id FROM ${target})`);
  await db.exec(`INSERT INTO ${target} BY NAME SELECT * FROM sigma_alerts WHERE alert_id NOT IN (SELECT alert_id FROM ${target})`);
  return n;
}

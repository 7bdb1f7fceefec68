/**
 * The `detect` section of --config (the same JSON file as the thresholds): Sigma detection in the
 * nightly run and the defaults of `alert-context detect`.
 *
 *   { "detect": { "nightly": false } }                      -- nightly runs no detection
 *   { "detect": { "rules": "/srv/sigma", "min_level": "high", "statuses": ["stable"] } }
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DetectConfig {
  /** Whether `nightly` runs the Sigma rules over each day before making its context reports. */
  nightly: boolean;
  /** The rules directory (SigmaHQ's layout, or a team's own); default: the repository's copy. */
  rules: string;
  /** Rules at this level or above: informational | low | medium | high | critical. */
  min_level: string;
  /** Rules with one of these statuses. */
  statuses: string[];
}

/** Sigma rule levels, lowest first (the CLI's --min-level choices; pipeline/sigma/rule-set.ts holds the same list). */
export const RULE_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
/** Sigma rule statuses (the CLI's --rule-status choices). */
export const RULE_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

export const DEFAULT_RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules', 'sigma');

export const DEFAULT_DETECT_CONFIG: Readonly<DetectConfig> = {
  nightly: true,
  rules: DEFAULT_RULES_DIR,
  min_level: 'medium',
  statuses: ['stable', 'test', 'experimental'],
};

/**
 * The context jobs, as data (SPEC.md section 2): which jobs run for which alerts, depending on the
 * alert's name and the entities it carries, and the window each looks at around the alert.
 */

export type ContextCategory = 'UnusualProcess' | 'RDPLogon' | 'SupplementalProcess' | 'UnusualMultiProcess';
export type AlertEntity = 'host' | 'account' | 'logon_id' | 'process';

export interface ContextJob {
  /** The job's name as the report's description line shows it. */
  readonly name: string;
  readonly category: ContextCategory;
  /** The alert must carry at least one of these entities (host is always known). */
  readonly needsAnyOf: readonly AlertEntity[];
  /** Alert names it runs for; '*' for all. */
  readonly alertNames: readonly string[];
  /** The window around the alert's time the job looks at: thresholds windows.<window>_before_minutes / _after_minutes. */
  readonly window: JobWindow;
}

export type JobWindow = 'process' | 'rdp';

export const CONTEXT_JOBS: readonly ContextJob[] = [
  { name: 'Unusual processes executed', category: 'UnusualProcess', needsAnyOf: ['host'], alertNames: ['*'], window: 'process' },
  { name: 'Unusual multi-processes commandline execution', category: 'UnusualMultiProcess', needsAnyOf: ['host'], alertNames: ['*'], window: 'process' },
  { name: 'RDP Logons', category: 'RDPLogon', needsAnyOf: ['host'], alertNames: ['*'], window: 'rdp' },
  { name: 'Supplemental processes executed', category: 'SupplementalProcess', needsAnyOf: ['logon_id', 'account', 'process'], alertNames: ['*'], window: 'process' },
];

/** Logon sessions every machine has (SYSTEM, LOCAL SERVICE, NETWORK SERVICE): never "the alert's session". */
export const WELL_KNOWN_LOGON_IDS = ['0x3e7', '0x3e4', '0x3e5'] as const;
/** Their accounts (lowercase): never "the alert's account" either (everything runs as SYSTEM). */
export const WELL_KNOWN_ACCOUNTS = ['system', 'local service', 'network service', 'anonymous logon', '-'] as const;

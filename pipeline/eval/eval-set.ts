import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputFileError, OptionError } from '../errors.js';
import { jsonErrorDetail } from '../json-error.js';

/** The repository's evaluation set on real captures (eval/otrf). */
export const DEFAULT_EVAL_SET = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'eval', 'otrf');

/** One case: an attack capture (its campaign id is the capture's OTRF metadata id) with its alerts. */
export interface EvalCase {
  case_id: string;
  campaign_id: string;
  title: string;
  capture: string;
  day: string;
  hosts: string[];
}

/** A readable selector of labeled events (eval/otrf/labels.json explains the fields). */
export interface EventSelector {
  id: string;
  campaign_id: string;
  table: 'process' | 'logon';
  hosts: string[];
  from: string;
  to: string;
  process_names?: string[];
  parent_names?: string[];
  command_line_regex?: string;
  users?: string[];
  logon_ids?: string[];
  process_id?: number;
  parent_process_id?: number;
  logon_types?: number[];
  outcomes?: string[];
  source_ips?: string[];
  descendants?: boolean;
  source: string;
}

/** An alert placed where a detection would fire, with its label. */
export interface EvalAlert {
  alert_id: string;
  case_id: string;
  malicious: boolean;
  ts: string;
  alert_name: string;
  severity: string;
  host: string;
  user_name?: string;
  logon_id?: string;
  process_id?: number;
  command_line?: string;
  why: string;
}

export interface EvalSet {
  dir: string;
  /** Telemetry files to load (the captures directory). */
  captures: string;
  /** The set's thresholds (config.json, with the reason it differs from the defaults), when it has one. */
  config?: string;
  cases: EvalCase[];
  selectors: EventSelector[];
  alerts: EvalAlert[];
}

function readList<T>(file: string, key: string): T[] {
  if (!existsSync(file)) throw new InputFileError(file, 'missing from the evaluation set');
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputFileError(file, `not valid JSON (${jsonErrorDetail(text, err)})`);
  }
  const list = (parsed as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw new InputFileError(file, `expected an object with a "${key}" array`);
  return list as T[];
}

function check(file: string, ok: boolean, what: string): void {
  if (!ok) throw new InputFileError(file, what);
}

/** Read and check an evaluation set: cases.json, labels.json, alerts.json and captures/. */
export function readEvalSet(dir: string = DEFAULT_EVAL_SET): EvalSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new OptionError('--set', `${dir}: no such directory`);
  const captures = join(dir, 'captures');
  if (!existsSync(captures)) throw new OptionError('--set', `${dir}: no captures/ directory`);
  const casesFile = join(dir, 'cases.json');
  const labelsFile = join(dir, 'labels.json');
  const alertsFile = join(dir, 'alerts.json');
  const cases = readList<EvalCase>(casesFile, 'cases');
  const selectors = readList<EventSelector>(labelsFile, 'selectors');
  const alerts = readList<EvalAlert>(alertsFile, 'alerts');
  const caseIds = new Set(cases.map((c) => c.case_id));
  check(casesFile, caseIds.size === cases.length, 'case ids must be unique');
  for (const c of cases) check(casesFile, /^\d{4}-\d{2}-\d{2}$/.test(c.day) && Boolean(c.campaign_id), `case ${c.case_id}: needs a day (YYYY-MM-DD) and a campaign_id`);
  const ids = new Set<string>();
  for (const s of selectors) {
    check(labelsFile, !ids.has(s.id), `selector ${s.id}: id used twice`);
    ids.add(s.id);
    check(labelsFile, s.table === 'process' || s.table === 'logon', `selector ${s.id}: table must be process or logon`);
    check(labelsFile, Array.isArray(s.hosts) && s.hosts.length > 0, `selector ${s.id}: needs hosts`);
    check(labelsFile, !Number.isNaN(Date.parse(s.from)) && !Number.isNaN(Date.parse(s.to)) && s.from <= s.to, `selector ${s.id}: needs from <= to (UTC times)`);
    check(labelsFile, Boolean(s.campaign_id) && Boolean(s.source), `selector ${s.id}: needs campaign_id and source`);
  }
  const alertIds = new Set<string>();
  for (const a of alerts) {
    check(alertsFile, !alertIds.has(a.alert_id), `alert ${a.alert_id}: id used twice`);
    alertIds.add(a.alert_id);
    check(alertsFile, caseIds.has(a.case_id), `alert ${a.alert_id}: unknown case ${a.case_id}`);
    check(alertsFile, typeof a.malicious === 'boolean' && !Number.isNaN(Date.parse(a.ts)) && Boolean(a.host) && Boolean(a.alert_name), `alert ${a.alert_id}: needs malicious, ts, host, alert_name`);
  }
  const config = join(dir, 'config.json');
  return { dir, captures, cases, selectors, alerts, ...(existsSync(config) ? { config } : {}) };
}

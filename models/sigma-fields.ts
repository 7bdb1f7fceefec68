/**
 * Sigma field names -> canonical columns, per log source: the processing pipeline of pySigma, as
 * data. A rule whose log source is not here, or that names a field its log source does not map,
 * is listed as unsupported with that reason (pipeline/sigma/compile-rule.ts).
 */
import type { CanonicalTable } from './mapping-record.js';

/** Where a Sigma field's value comes from: a canonical column, or a SQL expression over columns. */
export type SigmaFieldSource =
  | { readonly column: string; readonly type?: 'text' | 'integer' }
  | { readonly sql: string; readonly type?: 'text' | 'integer' };

export interface SigmaLogsource {
  /** Named in reasons and summaries. */
  readonly name: string;
  /** The rule's `logsource` must carry these keys with these values (others are ignored). */
  readonly match: Readonly<Record<string, string>>;
  readonly table: Extract<CanonicalTable, 'process_events' | 'logon_events'>;
  readonly fields: Readonly<Record<string, SigmaFieldSource>>;
  /**
   * For log sources that hold several event kinds: the EventIDs the table holds. A rule naming
   * another EventID is unsupported (its events are not loaded).
   */
  readonly eventIds?: readonly number[];
}

const col = (column: string, type: 'text' | 'integer' = 'text'): SigmaFieldSource => ({ column, type });
/** A hash out of Sysmon's 'MD5=..,SHA256=..,IMPHASH=..' list (pySigma's windows pipeline does the same). */
const hash = (name: string): SigmaFieldSource => ({ sql: `nullif(regexp_extract(hashes, '(?i)(?:^|,)${name}=([0-9a-f]+)', 1), '')` });
/** 'DOMAIN\user' as Windows writes it (Sysmon's User): the canonical columns keep the two apart. */
const ACCOUNT = "CASE WHEN user_name IS NULL THEN NULL WHEN user_domain IS NULL THEN user_name ELSE user_domain || '\\' || user_name END";

export const SIGMA_LOGSOURCES: readonly SigmaLogsource[] = [
  {
    name: 'process_creation',
    match: { category: 'process_creation', product: 'windows' },
    table: 'process_events',
    fields: {
      Image: col('image'),
      CommandLine: col('command_line'),
      ParentImage: col('parent_image'),
      ParentCommandLine: col('parent_command_line'),
      OriginalFileName: col('original_file_name'),
      User: { sql: ACCOUNT },
      IntegrityLevel: col('integrity_level'),
      Hashes: col('hashes'),
      md5: hash('MD5'),
      sha1: hash('SHA1'),
      sha256: hash('SHA256'),
      Imphash: hash('IMPHASH'),
      CurrentDirectory: col('current_directory'),
      ProcessId: col('process_id', 'integer'),
      ParentProcessId: col('parent_process_id', 'integer'),
      ProcessGuid: col('process_guid'),
      ParentProcessGuid: col('parent_process_guid'),
      LogonId: col('logon_id'),
      Description: col('file_description'),
      Product: col('product'),
      Company: col('company'),
      FileVersion: col('file_version'),
      ParentUser: col('parent_user'),
    },
  },
  {
    name: 'security (logons)',
    match: { service: 'security', product: 'windows' },
    table: 'logon_events',
    eventIds: [4624, 4625, 4778],
    fields: {
      EventID: { sql: "CASE outcome WHEN 'success' THEN 4624 WHEN 'failure' THEN 4625 WHEN 'reconnect' THEN 4778 END", type: 'integer' },
      TargetUserName: col('user_name'),
      TargetDomainName: col('user_domain'),
      TargetLogonId: col('logon_id'),
      LogonType: col('logon_type', 'integer'),
      // Windows writes '-' where a logon has no address or workstation, and SigmaHQ's rules test
      // for it (filter_main_empty: IpAddress: '-'); the loader stores '-' as NULL, so it is put back.
      IpAddress: { sql: "coalesce(source_ip, '-')" },
      WorkstationName: { sql: "coalesce(source_host, '-')" },
    },
  },
];

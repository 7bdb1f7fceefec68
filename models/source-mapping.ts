/**
 * The shape of a field mapping from an input schema to the canonical tables (one record per
 * source, after pySigma's processing pipelines and msticpy's ProcSchema). The records are in
 * models/mappings/; the loader turns each into one set-based SQL statement.
 */

export type CanonicalTable = 'process_events' | 'logon_events' | 'alerts' | 'labels';
export type InputFormat = 'canonical' | 'winevent' | 'sentinel' | 'ecs' | 'mde';
export const INPUT_FORMATS: readonly InputFormat[] = ['canonical', 'winevent', 'sentinel', 'ecs', 'mde'];

/** How a source value becomes a canonical value (each is a SQL macro in sql/macros/normalize.sql). */
export type Transform =
  | 'text' // free text, NULs removed, cut at 32,767 characters
  | 'lower' // text, lowercased
  | 'time' // ISO 8601 or zone-less UTC text -> TIMESTAMP (UTC)
  | 'host' // host name -> lowercase short name (and host_fqdn keeps the whole name)
  | 'logon_id' // hex or decimal -> lowercase hex without leading zeros
  | 'pid' // decimal or 0x-hex -> BIGINT
  | 'logon_type' // '10' or 'RemoteInteractive' -> 10
  | 'bool'
  | 'account_user' // 'DOMAIN\user' -> 'user'
  | 'account_domain' // 'DOMAIN\user' -> 'DOMAIN'
  | 'file_name' // path -> lowercase file name
  | 'folder_file' // Defender: FolderPath (+ FileName when FolderPath is only the folder)
  | 'outcome'; // 'success' / 'LogonSuccess' / 'failure' / 'LogonFailed' -> success | failure

export interface FieldRule {
  /** Source field paths (dots walk nested objects), tried in order: the first present value wins. */
  readonly from: readonly string[];
  readonly as: Transform;
  /** Values that mean "absent" for this field beyond the usual '', '-' (e.g. logon id '0x0'). */
  readonly absent?: readonly string[];
  /**
   * When every `from` field is absent: a regular expression over another field's text, group 1
   * (some NXLog exports drop Sysmon's ProcessId, which then survives only in Message).
   */
  readonly fallback?: { readonly field: string; readonly pattern: string };
  /** The only values allowed after the transform; anything else rejects the row. */
  readonly oneOf?: readonly string[];
}

/** A test on one source field: its text (or, for arrays, any element) is one of `in`. */
export interface FieldTest {
  readonly field: string;
  readonly in: readonly string[];
  /** Compare case-insensitively ('Security' and 'security' both occur in real exports). */
  readonly ignoreCase?: boolean;
}

export interface SourceMapping {
  /** Stored in the `source` column of every row it produces. */
  readonly name: string;
  readonly format: InputFormat;
  readonly table: CanonicalTable;
  readonly description: string;
  /** The event filter: every test must hold. Rows of the format that no mapping takes are skipped. */
  readonly when: readonly FieldTest[];
  /** Canonical column -> how to compute it. */
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** Canonical columns set to a fixed value. */
  readonly constants?: Readonly<Record<string, string | number>>;
  /** Canonical columns that must be present; a row without one is rejected, naming the field. */
  readonly required: readonly string[];
  /**
   * Source fields that identify a record (alternatives, first complete one wins), hashed into a
   * stable event_id. Without any, the id is a hash of the whole record.
   */
  readonly idFrom?: readonly (readonly string[])[];
  /** When two sources describe the same process creation, the higher preference is kept. */
  readonly preference?: number;
}

/** A field rule: the first present of `from`, transformed `as`. */
export const field = (as: Transform, ...from: string[]): FieldRule => ({ from, as });

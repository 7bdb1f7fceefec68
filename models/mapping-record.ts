/**
 * The shape of a field mapping from an input schema to the canonical tables (one record per
 * source, after pySigma's processing pipelines and msticpy's ProcSchema). The records are in
 * models/mappings/; the loader turns each into one set-based SQL statement.
 */

export type CanonicalTable = 'process_events' | 'logon_events' | 'alerts' | 'labels';
export type InputFormat =
  | 'canonical' | 'winevent' | 'sentinel' | 'ecs' | 'mde'
  // Alerts (models/mappings/alerts-*.ts): Sentinel SecurityAlert, Defender XDR AlertInfo + AlertEvidence,
  // Elastic Security detection alerts, Hayabusa and Chainsaw timelines.
  | 'securityalert' | 'xdr-alerts' | 'elastic-alerts' | 'hayabusa' | 'chainsaw';
export const INPUT_FORMATS: readonly InputFormat[] = [
  'canonical', 'winevent', 'sentinel', 'ecs', 'mde', 'securityalert', 'xdr-alerts', 'elastic-alerts', 'hayabusa', 'chainsaw',
];

/** How a source value becomes a canonical value (each is a SQL macro in sql/macros/normalize.sql). */
export type Transform =
  | 'text' // free text, NULs removed, cut at 32,767 characters
  | 'lower' // text, lowercased
  | 'time' // ISO 8601 or zone-less UTC text -> TIMESTAMP (UTC)
  | 'spaced_time' // also 'YYYY-MM-DD hh:mm:ss.fff +hh:mm', a space before the offset (Hayabusa)
  | 'severity' // alert severity -> informational | low | medium | high | critical ('med', 'crit', 'Informational')
  | 'host' // host name -> lowercase short name (and host_fqdn keeps the whole name)
  | 'logon_id' // hex or decimal -> lowercase hex without leading zeros
  | 'pid' // decimal or 0x-hex -> BIGINT
  | 'logon_type' // '10' or 'RemoteInteractive' -> 10
  | 'bool'
  | 'account_user' // 'DOMAIN\user' -> 'user'
  | 'account_domain' // 'DOMAIN\user' -> 'DOMAIN'
  | 'guid' // '{5AA13A44-...}' or '5aa13a44-...' -> '5aa13a44-...' (renderers differ on braces and case)
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
  /**
   * A field holding the event's rendered text (Windows' Message). Some exports leave this value
   * XML-escaped (NXLog's Security 4688 CommandLine reads `1&gt; out.txt 2&gt;&amp;1` where the
   * Message reads `1> out.txt 2>&1`): when the rendered text holds the value decoded (XML's five
   * escapes) and not the value as it is, the decoded value is taken; otherwise the value as it is.
   */
  readonly renderedIn?: string;
  /** The only values allowed after the transform; anything else rejects the row. */
  readonly oneOf?: readonly string[];
  /** Tried before `from`: values inside a field that holds JSON (Sentinel's Entities, ExtendedProperties). */
  readonly fromJson?: readonly JsonPick[];
}

/**
 * A value inside a field holding JSON (as text or nested). With `entity`: the `key` of the first
 * object at any depth whose `Type` is `entity` and that carries `key` (Sentinel entities refer to
 * an entity defined earlier by `$ref`; the first occurrence holds the fields, so no resolving is
 * needed). Without: the object's top-level `key`.
 */
export interface JsonPick {
  readonly field: string;
  readonly entity?: string;
  readonly key: string;
}

/**
 * A test on one source field: its text (or, for arrays, any element) is one of `in`; or, with
 * `present`, the field has (true) or lacks (false) a value.
 */
export interface FieldTest {
  readonly field: string;
  readonly in?: readonly string[];
  readonly present?: boolean;
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
  /**
   * Rows are parts of one alert, keyed by alert_id (Defender XDR: an AlertInfo row and its
   * AlertEvidence rows). The parts of an alert in one load are merged into one row, each column
   * the first present by preference then file order, before `required` is checked
   * (sql/load/merge_alert_parts.sql); the other parts count as duplicates.
   */
  readonly alertParts?: boolean;
}

/** A field rule: the first present of `from`, transformed `as`. */
export const field = (as: Transform, ...from: string[]): FieldRule => ({ from, as });

-- Normalization helpers shared by every source mapping. Macros, so normalization runs set-based
-- inside DuckDB rather than per row in JavaScript.

-- A value that Windows and its exporters use to mean "absent".
-- (A CASE, not IN (...): DuckDB plans a constant IN list as a join, one per use of the macro.)
-- Most values are longer than any of those words and not padded: they pass at the first test
-- without trimming (trimming every command line cost a third of mapping a Parquet file).
CREATE OR REPLACE TEMP MACRO ac_blank(s) AS
  CASE WHEN strlen(s) > 4 AND NOT starts_with(s, ' ') AND NOT ends_with(s, ' ') THEN s
       ELSE CASE trim(s) WHEN '' THEN NULL WHEN '-' THEN NULL WHEN 'null' THEN NULL WHEN 'NULL' THEN NULL WHEN 'N/A' THEN NULL ELSE s END
  END;

-- trim without copying a value that cannot need it: trim copies every value, and the hot columns
-- were trimmed two or three times each (1.25 M hosts: 0.10 s a trim). DuckDB's trim strips the
-- space and the other Unicode space separators (no-break space U+00A0, U+2000-U+200A, U+3000, ...),
-- not tabs or newlines: an ASCII value (as many bytes as characters) with no space at either end is
-- what trim would return; any other is trimmed.
CREATE OR REPLACE TEMP MACRO ac_trim(s) AS
  CASE WHEN strlen(s) = length(s) AND NOT starts_with(s, ' ') AND NOT ends_with(s, ' ') THEN s ELSE trim(s) END;

-- Logon ids arrive as hex strings of mixed case and width ('0x3E7', '0x00000000000a96e8') or, from
-- Defender, as decimal integers. The key is lowercase hex without leading zeros: '0x3e7'.
-- DuckDB's cast reads both '0x...' hex and decimal text (and is much faster than a regex).
CREATE OR REPLACE TEMP MACRO ac_logon_id(s) AS
  CASE WHEN ac_blank(s) IS NULL THEN NULL ELSE '0x' || lower(hex(try_cast(ac_trim(s) AS UBIGINT))) END;

-- True when a logon id is present but is neither hex nor decimal (garbage to reject).
CREATE OR REPLACE TEMP MACRO ac_logon_id_bad(s) AS ac_blank(s) IS NOT NULL AND try_cast(ac_trim(s) AS UBIGINT) IS NULL;

-- Process ids: Sysmon writes decimal, Security 4688 writes hex ('0x1a2c'). Windows process ids are
-- 32-bit: only whole numbers up to 4294967295 are ids ('3.7' was rounded to 4, 4294967296 passed).
CREATE OR REPLACE TEMP MACRO ac_pid(s) AS
  CASE WHEN ac_blank(s) IS NULL THEN NULL ELSE try_cast(trim(s) AS UINTEGER)::BIGINT END;
CREATE OR REPLACE TEMP MACRO ac_pid_bad(s) AS ac_blank(s) IS NOT NULL
  AND (NOT regexp_full_match(trim(s), '0[xX][0-9a-fA-F]+|[0-9]+') OR try_cast(trim(s) AS UINTEGER) IS NULL);

-- Timestamps: ISO 8601 with a zone, or zone-less text that is UTC by the source's contract.
-- The session time zone is pinned to UTC, so the zone-less case reads as UTC.
-- A UTC offset beyond the real ones (-12:00 .. +14:00, minutes below 60) is not a time: DuckDB's
-- cast took +25:00 and shifted the time by it, and '+25' or '+99' (hours alone) too. Only text with
-- an offset-like end is tested.
CREATE OR REPLACE TEMP MACRO ac_ts_offset_bad(s) AS
  NOT ends_with(s, 'Z')
  AND regexp_extract(trim(s), '[T ][0-9:.]+[+-]([0-9]{1,2})(:?([0-9]{2}))?$', 1) <> ''
  AND coalesce(try_cast(regexp_extract(trim(s), '[T ][0-9:.]+[+-]([0-9]{1,2})(:?([0-9]{2}))?$', 1) AS INTEGER) > 14
                OR try_cast(regexp_extract(trim(s), '[T ][0-9:.]+[+-]([0-9]{1,2})(:?([0-9]{2}))?$', 3) AS INTEGER) > 59, false);
CREATE OR REPLACE TEMP MACRO ac_ts(s) AS
  CASE WHEN ac_ts_offset_bad(s) THEN NULL ELSE try_cast(trim(s) AS TIMESTAMPTZ)::TIMESTAMP END;

-- Lowercase file name of a Windows or POSIX path: 'C:\Windows\System32\cmd.exe' -> 'cmd.exe'.
-- (A path without '/' is not copied by replace: 1.25 M images 0.18 -> 0.10 s.)
CREATE OR REPLACE TEMP MACRO ac_file_name(p) AS
  nullif(lower(split_part(CASE WHEN contains(p, '/') THEN replace(ac_trim(p), '/', '\') ELSE ac_trim(p) END, '\', -1)), '');

-- Host key: the short name, lowercase ('WORKSTATION6.theshire.local' -> 'workstation6').
-- An IP address is kept whole rather than cut at its first dot.
-- A name that is only dots ('.') has no short name: NULL (then rejected as missing).
CREATE OR REPLACE TEMP MACRO ac_host_key(h) AS
  CASE WHEN ac_blank(h) IS NULL THEN NULL
       WHEN regexp_full_match(ac_trim(h), '[0-9]{1,3}(\.[0-9]{1,3}){3}') THEN ac_trim(h)
       ELSE nullif(lower(split_part(ac_trim(h), '.', 1)), '') END;
-- True when a host is a JSON object or array ({"name": "wks-1"} where a name belongs), not a name:
-- its text would become a host key no event shares.
CREATE OR REPLACE TEMP MACRO ac_host_bad(h) AS ac_blank(h) IS NOT NULL AND (starts_with(ac_trim(h), '{') OR starts_with(ac_trim(h), '['));

-- 'DOMAIN\user' -> 'user'; 'user@domain' -> 'user'; plain names pass through.
CREATE OR REPLACE TEMP MACRO ac_account_user(a) AS
  CASE WHEN ac_blank(a) IS NULL THEN NULL
       WHEN contains(a, '\') THEN ac_blank(split_part(a, '\', -1))
       WHEN contains(a, '@') THEN ac_blank(split_part(a, '@', 1))
       ELSE ac_trim(a) END;
CREATE OR REPLACE TEMP MACRO ac_account_domain(a) AS
  CASE WHEN ac_blank(a) IS NULL THEN NULL
       WHEN contains(a, '\') THEN ac_blank(split_part(a, '\', 1))
       WHEN contains(a, '@') THEN ac_blank(split_part(a, '@', 2))
       ELSE NULL END;

-- Logon types: numbers as text ('10') or Defender / ECS names ('RemoteInteractive').
CREATE OR REPLACE TEMP MACRO ac_logon_type(s) AS (
  CASE
    WHEN ac_blank(s) IS NULL THEN NULL
    WHEN regexp_full_match(trim(s), '[0-9]{1,2}') THEN trim(s)::INTEGER
    ELSE CASE lower(replace(trim(s), ' ', ''))
      WHEN 'system' THEN 0 WHEN 'interactive' THEN 2 WHEN 'network' THEN 3 WHEN 'batch' THEN 4
      WHEN 'service' THEN 5 WHEN 'unlock' THEN 7 WHEN 'networkcleartext' THEN 8
      WHEN 'newcredentials' THEN 9 WHEN 'remoteinteractive' THEN 10
      WHEN 'cachedinteractive' THEN 11 WHEN 'cachedremoteinteractive' THEN 12
      WHEN 'cachedunlock' THEN 13 ELSE NULL END
  END);
CREATE OR REPLACE TEMP MACRO ac_logon_type_bad(s) AS ac_blank(s) IS NOT NULL AND ac_logon_type(s) IS NULL;

-- Booleans in labels: true/false, 1/0, yes/no.
CREATE OR REPLACE TEMP MACRO ac_bool(s) AS
  CASE lower(trim(s)) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'yes' THEN true
                      WHEN 'false' THEN false WHEN '0' THEN false WHEN 'no' THEN false
                      ELSE NULL END;
CREATE OR REPLACE TEMP MACRO ac_bool_bad(s) AS ac_blank(s) IS NOT NULL AND ac_bool(s) IS NULL;

-- Free text: NUL characters (escaped \u0000 in JSON) are removed; Windows caps a command line at
-- 32,767 characters, so longer values are cut there (the load summary counts them). A value of at
-- most 32,767 bytes without a NUL passes as it is (counting characters and replacing cost 15x).
-- ac_clean_text takes a value ac_blank already gave (a load's raw column): a macro's argument is
-- copied into each of its uses, and ac_blank's five copies in each of ac_text's four made a load's
-- mapping statement cost 0.27 s to plan against 0.07 s (its optimizers deduplicating the copies).
CREATE OR REPLACE TEMP MACRO ac_clean_text(s) AS
  CASE WHEN strlen(s) <= 32767 AND NOT contains(s, chr(0)) THEN s
       ELSE left(replace(s, chr(0), ''), 32767) END;
CREATE OR REPLACE TEMP MACRO ac_text(s) AS ac_clean_text(ac_blank(s));

-- XML's five escapes decoded, '&amp;' last (so '&amp;gt;' reads '&gt;').
CREATE OR REPLACE TEMP MACRO ac_xml_unescape(s) AS
  replace(replace(replace(replace(replace(s, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&apos;', ''''), '&amp;', '&');

-- A value some exports leave XML-escaped (NXLog's Security 4688 CommandLine: `1&gt; out.txt`),
-- decoded when the event's rendered text (Message) shows it decoded and not as it is; otherwise
-- the value as it is (a command line that really holds '&gt;' is rendered with it).
CREATE OR REPLACE TEMP MACRO ac_rendered_text(s, rendered) AS
  CASE WHEN contains(s, '&') AND contains(rendered, ac_xml_unescape(s)) AND NOT contains(rendered, s)
       THEN ac_xml_unescape(s) ELSE s END;

-- Logon outcome from Windows event ids, Defender action types or ECS event.outcome.
CREATE OR REPLACE TEMP MACRO ac_outcome(s) AS
  CASE lower(trim(s))
    WHEN 'success' THEN 'success' WHEN 'logonsuccess' THEN 'success' WHEN '4624' THEN 'success'
    WHEN 'failure' THEN 'failure' WHEN 'logonfailed' THEN 'failure' WHEN '4625' THEN 'failure'
    WHEN 'reconnect' THEN 'reconnect' WHEN '4778' THEN 'reconnect'
    ELSE NULL END;

-- Rarity in [0, 1] of something seen on k of n hosts, smoothed with a prior: log(p) / log(p_min)
-- with p = (k + prior) / (n + 2 prior); 1 when never seen, 0 when on every host.
CREATE OR REPLACE TEMP MACRO ac_rarity(k, n, prior) AS
  CASE WHEN n <= 0 THEN 1.0
       ELSE greatest(0.0, least(1.0, ln((k + prior) / (n + 2 * prior)) / ln(prior / (n + 2 * prior)))) END;

-- Cut a long line for display: the first n characters and '....' (the original's marker).
CREATE OR REPLACE TEMP MACRO ac_cut(s, n) AS CASE WHEN length(s) > n THEN left(s, n) || '....' ELSE s END;

-- A line for display with the characters a terminal acts on or that hide what it says shown as
-- escapes (newline -> \x0a, ESC -> \x1b, U+202E -> \u202e): the set and the form of
-- pipeline/escape.ts's visible(), so that a command line holding a newline cannot forge a line of a
-- report's text (its lines are joined with newlines). Lines without any such character as they are.
CREATE OR REPLACE TEMP MACRO ac_visible(s) AS
  CASE WHEN regexp_matches(s, '[\x00-\x1f\x7f-\x9f\xad\x{61c}\x{180e}\x{200b}-\x{200f}\x{2028}-\x{202e}\x{2060}-\x{2064}\x{2066}-\x{2069}\x{feff}]')
       THEN list_aggregate(list_transform(string_split(s, ''), c ->
              CASE WHEN regexp_matches(c, '^[\x00-\x1f\x7f-\x9f\xad\x{61c}\x{180e}\x{200b}-\x{200f}\x{2028}-\x{202e}\x{2060}-\x{2064}\x{2066}-\x{2069}\x{feff}]$')
                   THEN CASE WHEN ord(c) <= 255 THEN printf('\x%02x', ord(c)) ELSE printf('\u%04x', ord(c)) END
                   ELSE c END), 'string_agg', '')
       ELSE s END;

-- An account name as the alert and the events can both give it: lowercase, without its domain
-- (CONTOSO\jdoe, jdoe -> jdoe); NULL when empty.
CREATE OR REPLACE TEMP MACRO ac_account(u) AS nullif(lower(regexp_replace(trim(u), '^.*\\', '')), '');

-- An account (ac_account's form) that is the machine's: SYSTEM, LOCAL/NETWORK SERVICE, ANONYMOUS
-- LOGON (`well_known`: models/context-jobs.ts) or a machine account (WORKSTATION5$, SYSTEM's name on
-- the network). Never "the alert's account", nor a person's logon. False for NULL.
CREATE OR REPLACE TEMP MACRO ac_machine_account(account, well_known) AS
  coalesce(list_contains(well_known, account) OR account LIKE '%$', false);

-- A GUID as one text whatever the renderer: no braces, lowercase (Sysmon's XML has {5AA13A44-...},
-- evtx_dump JSON 5AA13A44-...).
CREATE OR REPLACE TEMP MACRO ac_guid(g) AS nullif(lower(trim(trim(g), '{}')), '');

-- The hosts a command names (models/remote-starts.ts: group 1 of `pattern` on the lowercase line, a
-- comma-separated list, quoted or not), each as its host key (ac_host_key: `\\WS6.contoso.local` is
-- ws6, an address stays whole).
CREATE OR REPLACE TEMP MACRO ac_named_hosts(line, pattern) AS
  list_filter(list_transform(string_split(regexp_extract(line, pattern, 1), ','), x -> ac_host_key(replace(replace(x, '"', ''), '''', ''))), x -> x IS NOT NULL);

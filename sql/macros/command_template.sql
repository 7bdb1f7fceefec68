-- Command-line templates: a command line normalized so that benign variants of one program run
-- (another GUID, temp file, version, date, user, hash) count as one, while what an attacker's line
-- keeps distinctive (ftp -s:c:\xpoffice.exe, /g system:f, a new account name) survives.
-- One macro per rule, each using its argument once so that nesting them does not blow up.
-- RE2 has no look-arounds: rules that need "a run of N+ characters that mixes letters and
-- digits" first mark candidate runs with § and then replace the long ones.

-- 1-3: lowercase, drop double quotes, fold whitespace; drop the NT object prefix \??\.
CREATE OR REPLACE TEMP MACRO ac_tpl_case(x) AS trim(replace(lower(x), '"', ''));
CREATE OR REPLACE TEMP MACRO ac_tpl_spaces(x) AS regexp_replace(x, '\s+', ' ', 'g');
CREATE OR REPLACE TEMP MACRO ac_tpl_nt_prefix(x) AS regexp_replace(x, '^\\\?\?\\', '');
CREATE OR REPLACE TEMP MACRO ac_tpl_fold(x) AS ac_tpl_nt_prefix(ac_tpl_spaces(ac_tpl_case(x)));
-- 4: user-profile paths: c:\users\jdoe\... -> c:\users\<user>\...
CREATE OR REPLACE TEMP MACRO ac_tpl_user(x) AS regexp_replace(x, '([a-z]:\\users\\)[^\\ ]+', '\1<user>', 'g');
-- 4b: encoded payloads: runs of 32+ base64 characters (PowerShell -enc, update pings) -> <b64>.
CREATE OR REPLACE TEMP MACRO ac_tpl_base64(x) AS regexp_replace(x, '[a-z0-9+/]{32,}={0,2}', '<b64>', 'g');
-- 5: GUIDs, with or without braces.
CREATE OR REPLACE TEMP MACRO ac_tpl_guid(x) AS
  regexp_replace(x, '\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?', '<guid>', 'g');
-- 6: IPv4 addresses.
CREATE OR REPLACE TEMP MACRO ac_tpl_ip(x) AS regexp_replace(x, '\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b', '<ip>', 'g');
-- 7: 0x numbers, and hex runs of 8+ digits that mix digits and letters (hashes, ids, random tokens).
CREATE OR REPLACE TEMP MACRO ac_tpl_hex(x) AS
  replace(regexp_replace(
    regexp_replace(regexp_replace(x, '\b0x[0-9a-f]+\b', '<hex>', 'g'),
                   '[0-9a-f]*(\d[0-9a-f]*[a-f]|[a-f][0-9a-f]*\d)[0-9a-f]*', '§\0§', 'g'),
    '§([0-9a-f]{8,})§', '<hex>', 'g'), '§', '');
-- 8: dates (2026-11-20, 20261120, 2026_11_20), with a time when one follows.
CREATE OR REPLACE TEMP MACRO ac_tpl_date(x) AS
  regexp_replace(x, '(19|20)\d\d[-_./]?(0[1-9]|1[0-2])[-_./]?(0[1-9]|[12]\d|3[01])([t_ ]?[0-2]\d[:\-_]?[0-5]\d([:\-_]?[0-5]\d)?(\.\d+)?z?)?', '<date>', 'g');
-- 9: versions: three or more dotted numbers, also inside names (v4.0.30319, photos_2019.18114.19418.0).
CREATE OR REPLACE TEMP MACRO ac_tpl_version(x) AS regexp_replace(x, '\d+(\.\d+){2,}', '<ver>', 'g');
-- 10: temp file names (tmpXXXX.tmp, ~dfXXXX.tmp, res37c9.tmp, and the compiler's \temp\x1y2z3w4\x1y2z3w4.cmdline).
CREATE OR REPLACE TEMP MACRO ac_tpl_temp(x) AS
  regexp_replace(regexp_replace(x, '\b(tmp[0-9a-z]{1,8}\.tmp|~df[0-9a-f]{1,16}\.tmp|[a-z]{0,4}[0-9a-f]{2,8}\.tmp)\b', '<tmp>', 'g'),
                 '(\\temp\\)[a-z0-9]{8}\\[a-z0-9]{8}\.', '\1<tmp>\\<tmp>.', 'g');
-- 11: random-looking tokens: runs of 16+ letters and digits mixed (base64 payloads, package ids).
CREATE OR REPLACE TEMP MACRO ac_tpl_random(x) AS
  replace(regexp_replace(
    regexp_replace(x, '[a-z0-9+/=_]*(\d[a-z0-9+/=_]*[a-z]|[a-z][a-z0-9+/=_]*\d)[a-z0-9+/=_]*', '§\0§', 'g'),
    '§([a-z0-9+/=_]{16,})§', '<rand>', 'g'), '§', '');
-- 12: numbers of 3+ digits (process ids, handles, ports, counters), also ending a name (floor7969,
-- ws0421 -> floor<num>, ws<num>); 1-2 digit flags stay (/mo 1, -n 10, win32). '_' counts as a
-- separator (jre1.8.0_341); applied twice because adjacent numbers share one.
CREATE OR REPLACE TEMP MACRO ac_tpl_number(x) AS
  regexp_replace(regexp_replace(x, '(^|[^a-z0-9])([a-z]*)\d{3,}([^a-z0-9]|$)', '\1\2<num>\3', 'g'), '(^|[^a-z0-9])([a-z]*)\d{3,}([^a-z0-9]|$)', '\1\2<num>\3', 'g');

CREATE OR REPLACE TEMP MACRO ac_template(cmd) AS
  ac_tpl_number(ac_tpl_random(ac_tpl_temp(ac_tpl_version(ac_tpl_date(ac_tpl_hex(ac_tpl_ip(ac_tpl_guid(ac_tpl_base64(ac_tpl_user(ac_tpl_fold(cmd)))))))))));

-- The argument shape of a template, for report families (process, parent and this shape): the
-- program's own path dropped, paths -> <path> (drive, UNC, %VAR%, registry), file names -> <file>,
-- numbers -> <n>. Lines of one family differ in what they touch, not in what they do:
-- every "cacls.exe <path> /e /t /g system:f" is one family however many files it is run on.
CREATE OR REPLACE TEMP MACRO ac_family_shape(template, process_name) AS
  trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    CASE WHEN coalesce(process_name, '') <> '' AND strpos(template, process_name) BETWEEN 1 AND 300
         THEN substr(template, strpos(template, process_name) + length(process_name))
         ELSE regexp_replace(template, '^\S+', '') END,
    '([a-z]:\\|\\\\|%[a-z_]+%\\|\bhk[a-z_]*\\)[^ ,;]*', '<path>', 'g'),
    '[^ \\/:=,;<>]+\.(exe|dll|dat|bat|cmd|ps1|psm1|vbs|js|hta|inf|ini|sdb|txt|log|dmp|cab|tmp|zip|msi|lnk|xml|sys|ocx|cpl|scr)\b', '<file>', 'g'),
    '\b\d+\b', '<n>', 'g'),
    '\s+', ' ', 'g'));

-- The line an event is templated by: its command line, else its image, else ''.
CREATE OR REPLACE TEMP MACRO ac_line(command_line, image) AS coalesce(command_line, image, '');
-- A line's key for joining it to its template (aggregates/period_templates.sql): DuckDB's 64-bit
-- hash. Two lines can share one: period_templates keeps the text of those in line_check, and
-- ac_line_matches, the join's condition, compares the text for them only.
CREATE OR REPLACE TEMP MACRO ac_line_hash(line) AS hash(line);
CREATE OR REPLACE TEMP MACRO ac_line_matches(line_hash, line_check, line) AS
  line_hash = ac_line_hash(line) AND (line_check IS NULL OR line_check = line);

-- layer: staging
-- parameters: ac_from DATE, ac_to DATE
-- The template of every distinct command line of the days [ac_from, ac_to], computed once and
-- shared by the aggregates and the scores of those days (the regex chain is the costly part).
-- It is ac_template (macros/command_template.sql), rule by rule in the same order, one step per
-- rule so that a rule is skipped when a plain substring test shows it cannot match (the macros
-- must use their argument once, so the skipping cannot live in them): 28% less time on generated
-- lines. test/command-template.test.ts pins it equal to ac_template.
-- line_hash (ac_line_hash: DuckDB's 64-bit hash of the line) is what the aggregates and scores
-- join on: a join on the text builds a hash table of every distinct line (8 M at 10,000 hosts),
-- more than an 800 MB memory limit holds beside the day's staged rows (the day failed there).
-- line_check is the line again only where two lines share a hash (the second statement), else
-- NULL: the joins' condition (ac_line_matches) compares the text for those only. The templates
-- themselves are few (1,466 on the bench's 1,000-host day, for 0.84 M lines): period_template_ids
-- numbers them, and the joins carry that number, not the template's text, until the end.
CREATE OR REPLACE TEMP TABLE period_templates AS
WITH lines AS (
  SELECT DISTINCT ac_line(command_line, image) AS command_line
  FROM process_events
  WHERE ts >= getvariable('ac_from')::TIMESTAMP AND ts < (getvariable('ac_to') + 1)::TIMESTAMP
),
-- ac_tpl_case in two steps: the quotes removed and the ends trimmed only where there are some
-- (replace and trim copy every line they are given)
r1l AS (SELECT command_line, lower(command_line) AS t FROM lines),
r1a AS (SELECT command_line, ac_trim(CASE WHEN contains(t, '"') THEN replace(t, '"', '') ELSE t END) AS t FROM r1l),
-- (RE2's \s is [\t\n\f\r ]: a line with none of them but single spaces is left as it is; five
-- substring tests cost a third of one regular expression's search)
r1b AS (SELECT command_line,
               CASE WHEN contains(t, '  ') OR contains(t, chr(9)) OR contains(t, chr(10)) OR contains(t, chr(12)) OR contains(t, chr(13))
                    THEN ac_tpl_spaces(t) ELSE t END AS t FROM r1a),
r1 AS (SELECT command_line, CASE WHEN starts_with(t, '\??\') THEN ac_tpl_nt_prefix(t) ELSE t END AS t FROM r1b),
r2 AS (SELECT command_line, CASE WHEN contains(t, '\users\') THEN ac_tpl_user(t) ELSE t END AS t FROM r1),
r3 AS (SELECT command_line, ac_tpl_base64(t) AS t FROM r2),
r4 AS (SELECT command_line, ac_tpl_guid(t) AS t FROM r3),
r5 AS (SELECT command_line, ac_tpl_ip(t) AS t FROM r4),
-- ac_tpl_hex in one pass where the line holds no '§' (its marker): a maximal run of hex digits that
-- mixes digits and letters and is 8 or more long is <hex>; the run starts with i digits then a
-- letter (or i letters then a digit), so 8 or more is i + 1 + at least 7 - i more (half the time
-- of the macro's mark, replace and unmark passes on 0.84 M generated lines, the same templates)
r6 AS (SELECT command_line,
              CASE WHEN contains(t, '§') THEN ac_tpl_hex(t)
                   ELSE regexp_replace(CASE WHEN contains(t, '0x') THEN regexp_replace(t, '\b0x[0-9a-f]+\b', '<hex>', 'g') ELSE t END,
                                       '\d{7,}[a-f][0-9a-f]*|\d{6}[a-f][0-9a-f]+|\d{5}[a-f][0-9a-f]{2,}|\d{4}[a-f][0-9a-f]{3,}|\d{3}[a-f][0-9a-f]{4,}|\d{2}[a-f][0-9a-f]{5,}|\d[a-f][0-9a-f]{6,}|[a-f]{7,}\d[0-9a-f]*|[a-f]{6}\d[0-9a-f]+|[a-f]{5}\d[0-9a-f]{2,}|[a-f]{4}\d[0-9a-f]{3,}|[a-f]{3}\d[0-9a-f]{4,}|[a-f]{2}\d[0-9a-f]{5,}|[a-f]\d[0-9a-f]{6,}',
                                       '<hex>', 'g') END AS t FROM r5),
-- (a date starts with 19 or 20)
r7 AS (SELECT command_line, CASE WHEN contains(t, '20') OR contains(t, '19') THEN ac_tpl_date(t) ELSE t END AS t FROM r6),
r8 AS (SELECT command_line, ac_tpl_version(t) AS t FROM r7),
r9 AS (SELECT command_line, CASE WHEN contains(t, '.tmp') OR contains(t, '\temp\') THEN ac_tpl_temp(t) ELSE t END AS t FROM r8),
-- (the random rule also drops any '§' of the line: its marker)
r10 AS (SELECT command_line, CASE WHEN regexp_matches(t, '[a-z0-9+/=_]{16}') OR contains(t, '§') THEN ac_tpl_random(t) ELSE t END AS t FROM r9),
r11 AS (SELECT command_line, ac_tpl_number(t) AS t FROM r10)
SELECT command_line, ac_line_hash(command_line) AS line_hash, NULL::VARCHAR AS line_check, t AS template FROM r11;

-- Lines whose 64-bit hash another line shares keep their text in line_check, so that the joins on
-- line_hash compare the text for them, and only for them. With 8 M distinct lines a day, about one
-- day in 500,000 has such a pair.
UPDATE period_templates SET line_check = command_line
WHERE line_hash IN (SELECT line_hash FROM period_templates GROUP BY line_hash HAVING count(*) > 1);

-- Each template of the period, numbered (in template order).
CREATE OR REPLACE TEMP TABLE period_template_ids AS
SELECT template, row_number() OVER (ORDER BY template)::INTEGER AS template_id
FROM (SELECT DISTINCT template FROM period_templates);

-- Each line's template number: what the aggregates and scores join the day's events to.
CREATE OR REPLACE TEMP VIEW period_line_templates AS
SELECT p.line_hash, p.line_check, i.template_id FROM period_templates p JOIN period_template_ids i USING (template);

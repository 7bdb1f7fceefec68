-- Helpers of the alert mappings (models/mappings/alerts-*.ts): values inside JSON fields, alert
-- severities, DFIR tools' times.

-- A field's text as JSON, or an empty list when it is not JSON (json_tree would fail the query).
CREATE OR REPLACE TEMP MACRO ac_json_doc(d) AS CASE WHEN json_valid(d) THEN d::JSON ELSE '[]'::JSON END;

-- The key `k` of the first object, at any depth, whose Type is `etype` (lowercase) and that carries
-- `k`. Sentinel's Entities define an entity once ($id) and refer to it elsewhere ({"$ref": "2"});
-- the defining object holds the fields, so taking the first object that carries them resolves the
-- reference. Pre-order (json_tree's id) puts an entity before the ones nested in it.
CREATE OR REPLACE TEMP MACRO ac_entity_value(doc, etype, k) AS (
  SELECT t.value ->> k FROM json_tree(ac_json_doc(doc)) t
  WHERE t.type = 'OBJECT' AND lower(t.value ->> 'Type') = etype AND (t.value ->> k) IS NOT NULL
  ORDER BY t.id LIMIT 1);

-- A top-level key of a JSON object held in a field (ExtendedProperties' "User Name").
CREATE OR REPLACE TEMP MACRO ac_json_value(doc, k) AS
  CASE WHEN json_valid(doc) AND json_type(doc::JSON) = 'OBJECT' THEN json_extract_string(doc::JSON, '$."' || replace(k, '"', '\"') || '"') END;

-- Severity words of every source on one scale: informational | low | medium | high | critical.
-- (Hayabusa prints crit / med / info; Defender 'UnSpecified' means none; Elastic and Sigma use the words.)
CREATE OR REPLACE TEMP MACRO ac_severity(s) AS
  CASE lower(trim(s))
    WHEN 'info' THEN 'informational' WHEN 'informational' THEN 'informational'
    WHEN 'low' THEN 'low' WHEN 'med' THEN 'medium' WHEN 'medium' THEN 'medium'
    WHEN 'high' THEN 'high' WHEN 'crit' THEN 'critical' WHEN 'critical' THEN 'critical'
    WHEN 'unspecified' THEN NULL WHEN '' THEN NULL
    ELSE lower(ac_text(s)) END;

-- Times with a space before the UTC offset ('2021-12-12 17:16:44.271 +09:00', Hayabusa), else as ac_ts.
CREATE OR REPLACE TEMP MACRO ac_ts_spaced(s) AS ac_ts(regexp_replace(trim(s), ' ([+-][0-9]{2}:?[0-9]{2})$', '\1'));

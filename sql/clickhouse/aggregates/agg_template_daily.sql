-- Template counts per host and day for [day_from, day_to], on each shard from its own events.
-- DuckDB: aggregates/period_templates.sql + agg_template_daily.sql. The template of each distinct
-- line is computed once (the regex chain is the costly part) and joined back by the line: an
-- equi-join, the lines of the shard's days in memory. {template:line} is ac_template, generated
-- from models/template-rules.ts. Memory grows with the lines of the statement's hosts, so a large
-- shard runs it host bucket by host bucket (host_buckets, host_bucket: stages.ts; sipHash64, not
-- the sharding key's cityHash64, or a shard's hosts would all fall in some buckets); rows are per
-- host, so the buckets' rows are the whole's. A line run on hosts of several buckets is templated
-- in each: CPU for memory.
INSERT INTO agg_template_daily_local
SELECT day, host, template, min(process_name), count(), min(ts_us)
FROM (
  SELECT day, host, process_name, ts_us, coalesce(command_line, image, '') AS line
  FROM process_events_local
  WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
    AND sipHash64(host) % (SELECT host_buckets FROM ac_params) = (SELECT host_bucket FROM ac_params)
)
ALL INNER JOIN (
  SELECT line, {template:line} AS template
  FROM (
    SELECT DISTINCT coalesce(command_line, image, '') AS line
    FROM process_events_local
    WHERE day BETWEEN (SELECT day_from FROM ac_params) AND (SELECT day_to FROM ac_params)
      AND sipHash64(host) % (SELECT host_buckets FROM ac_params) = (SELECT host_bucket FROM ac_params)
  )
) USING line
GROUP BY day, host, template;

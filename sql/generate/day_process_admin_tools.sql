-- layer: staging
-- parameters: gen_day DATE, gen_admin_tool_count INTEGER
-- The admin tools run in the day's admin sessions (day_admin_sessions, day_admin_sessions.sql),
-- added to the day's process events (day_process, day_process.sql).
INSERT INTO day_process
WITH tools AS (
  SELECT a.*, n, hash(a.r, n) AS rr
  FROM day_admin_sessions a, LATERAL range(0, (3 + a.r % 6)::BIGINT) AS t(n)
),
picked AS (
  SELECT tl.*, t.*,
         tl.start_ts + gen_us(30000000 + n * 240000000 + tl.rr % 200000000) AS ts,
         gen_values(tl.rr, md5(tl.rr::VARCHAR || 'a'), md5(tl.rr::VARCHAR || 'b'),
                    tl.start_ts + gen_us(30000000 + n * 240000000 + tl.rr % 200000000), tl.admin, tl.jump_host) AS v
  FROM tools tl JOIN gen_templates t ON t.kind = 'admin' AND t.seq = tl.rr % getvariable('gen_admin_tool_count')
)
SELECT 'pa' || strftime(getvariable('gen_day'), '%Y%m%d') || '-' || host_idx || '-' || n, ts, host_idx, host, fqdn,
       admin, 'CONTOSO', logon_id, gen_pid(rr), gen_fill(image, v), gen_fill(command, v), gen_pid(rr >> 32),
       gen_fill(parent_image, v), template_id, false, NULL, NULL
FROM picked;

-- Admins' RDP sessions (logon type 10) to servers from the jump hosts in work hours, and the admin
-- tools they run in those sessions: benign, and a real source of false positives.
CREATE OR REPLACE TEMP TABLE day_admin_sessions AS
WITH candidates AS (
  SELECT s.*, hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), 'admin') AS r
  FROM day_sessions s
  WHERE s.role NOT IN ('wks', 'jump')
)
SELECT c.host_idx, c.host, c.fqdn, c.role, c.owner,
       getvariable('gen_admins')[(1 + (c.r >> 7) % len(getvariable('gen_admins')))::BIGINT] AS admin,
       j.host AS jump_host, j.ip AS jump_ip,
       gen_logon_id(c.r >> 3) AS logon_id,
       getvariable('gen_day')::TIMESTAMP + gen_us(8 * 3600000000 + (c.r >> 13) % (9 * 3600000000)) AS start_ts,
       c.r
FROM candidates c
JOIN gen_hosts j ON j.role = 'jump' AND j.jump_rank = (c.r >> 5) % greatest(getvariable('gen_jump_count'), 1)
WHERE gen_u(c.r) < getvariable('gen_admin_rate');

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

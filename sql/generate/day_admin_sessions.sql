-- layer: staging
-- parameters: gen_seed INTEGER, gen_day DATE, gen_day_idx INTEGER, gen_admins VARCHAR[]
-- parameters: gen_jump_count INTEGER, gen_admin_rate DOUBLE
-- Admins' RDP sessions (logon type 10) to servers from the jump hosts in work hours: benign, and a
-- real source of false positives with the admin tools they run (day_process_admin_tools.sql).
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

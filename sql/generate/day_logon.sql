-- layer: staging
-- parameters: gen_seed INTEGER, gen_day DATE, gen_day_idx INTEGER, gen_host_count INTEGER
-- The day's benign logons: owners' interactive logons, service logons, network logons in volume,
-- admins' RDP logons from the jump hosts, and the odd mistyped password.
CREATE OR REPLACE TEMP TABLE day_logon AS
WITH owner_logons AS (
  SELECT 'lo' || strftime(getvariable('gen_day'), '%Y%m%d') || '-' || host_idx AS event_id, owner_logon_ts AS ts,
         host_idx, host, fqdn, owner AS user_name, 'CONTOSO' AS user_domain, owner_logon_id AS logon_id, 2 AS logon_type,
         '127.0.0.1' AS source_ip, host AS source_host, 'success' AS outcome
  FROM day_sessions WHERE role IN ('wks', 'jump')
),
service_logons AS (
  SELECT 'ls' || strftime(getvariable('gen_day'), '%Y%m%d') || '-' || host_idx || '-' || n,
         getvariable('gen_day')::TIMESTAMP + gen_us(hash(getvariable('gen_seed'), host_idx, getvariable('gen_day_idx'), 'svc', n) % 86400000000),
         host_idx, host, fqdn,
         CASE WHEN n = 0 THEN svc_account ELSE 'SYSTEM' END,
         CASE WHEN n = 0 THEN 'CONTOSO' ELSE 'NT AUTHORITY' END,
         CASE WHEN n = 0 THEN svc_logon_id ELSE gen_logon_id(hash(getvariable('gen_seed'), host_idx, getvariable('gen_day_idx'), 'svc', n)) END,
         5, '-', '-', 'success'
  FROM day_sessions, LATERAL range(0, (4 + hash(getvariable('gen_seed'), host_idx, getvariable('gen_day_idx'), 'svcn') % 8)::BIGINT) AS t(n)
),
network_slots AS (
  SELECT s.*, n, hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), 'net', n) AS r
  FROM day_sessions s,
       LATERAL range(0, (CASE WHEN s.role IN ('wks', 'jump') THEN 8 ELSE 40 END
                        + hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), 'netn') % CASE WHEN s.role IN ('wks', 'jump') THEN 18 ELSE 80 END)::BIGINT) AS t(n)
),
network_logons AS (
  SELECT 'ln' || strftime(getvariable('gen_day'), '%Y%m%d') || '-' || ns.host_idx || '-' || ns.n,
         getvariable('gen_day')::TIMESTAMP + gen_us((ns.r >> 9) % 86400000000),
         ns.host_idx, ns.host, ns.fqdn,
         CASE ns.r % 3 WHEN 0 THEN upper(o.host) || '$' WHEN 1 THEN 'svc_backup' ELSE o.owner END,
         'CONTOSO', gen_logon_id(ns.r >> 4), 3, o.ip, upper(o.host), 'success'
  FROM network_slots ns JOIN gen_hosts o ON o.host_idx = (ns.r >> 31) % getvariable('gen_host_count')
),
admin_logons AS (
  SELECT 'lr' || strftime(getvariable('gen_day'), '%Y%m%d') || '-' || host_idx, start_ts, host_idx, host, fqdn,
         admin, 'CONTOSO', logon_id, 10, jump_ip, upper(jump_host), 'success'
  FROM day_admin_sessions
),
mistyped AS (
  -- A mistyped password now and then, a few seconds before the owner's or an admin's logon.
  SELECT 'lf' || strftime(getvariable('gen_day'), '%Y%m%d') || '-' || host_idx || '-' || kind, ts - INTERVAL 9 SECOND,
         host_idx, host, fqdn, user_name, user_domain, NULL, logon_type, source_ip, source_host, 'failure'
  FROM (SELECT 'o' AS kind, * FROM owner_logons UNION ALL SELECT 'r', * FROM admin_logons)
  WHERE gen_u(hash(getvariable('gen_seed'), host_idx, getvariable('gen_day_idx'), 'typo', kind)) < 0.06
)
SELECT *, false AS malicious, NULL::VARCHAR AS campaign_id, NULL::VARCHAR AS campaign_kind
FROM (
  SELECT * FROM owner_logons
  UNION ALL SELECT * FROM service_logons
  UNION ALL SELECT * FROM network_logons
  UNION ALL SELECT * FROM admin_logons
  UNION ALL SELECT * FROM mistyped
);

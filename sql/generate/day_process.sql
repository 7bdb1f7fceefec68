-- layer: staging
-- parameters: gen_seed INTEGER, gen_day DATE, gen_day_idx INTEGER, gen_rate DOUBLE, gen_days INTEGER
-- parameters: gen_host_count INTEGER
-- The day's benign process events for every host, set-based. gen_rate: the events per host-day
-- multiplier; gen_days: days in the fleet. Inputs: day_sessions (day_sessions.sql), gen_hosts,
-- gen_templates, gen_buckets (pipeline/generate/generate-fleet.ts, gen_buckets.sql).
CREATE OR REPLACE TEMP TABLE day_process AS
WITH slots AS (
  -- Background: about base_rate events per host-day, +-15%.
  SELECT s.*, n, hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), n) AS r
  FROM day_sessions s,
       LATERAL range(0, (s.base_rate * getvariable('gen_rate')
                         * (0.85 + 0.3 * gen_u(hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), 'n'))))::BIGINT) AS t(n)
),
background AS (
  SELECT s.*, t.*, 'pb' AS kind_prefix
  FROM slots s
  JOIN gen_buckets b ON b.role = s.role AND b.bucket = s.r % 1000
  JOIN gen_templates t ON t.template_id = b.template_id
),
timed AS (
  SELECT *,
         getvariable('gen_day')::TIMESTAMP + gen_us(
           CASE WHEN hour_from IS NULL THEN (r >> 11) % 86400000000
                ELSE hour_from * 3600000000 + (r >> 11) % ((hour_to - hour_from) * 3600000000) END) AS ts
  FROM background
),
scheduled AS (
  -- Daily scheduled tasks at a fixed minute on every host of the role.
  SELECT s.*, t.*, 'ps' AS kind_prefix, t.seq AS n,
         hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), t.template_id) AS r,
         getvariable('gen_day')::TIMESTAMP + gen_us((t.hour_from * 3600 + t.minute * 60)::BIGINT * 1000000
           + hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), t.template_id) % 59000000) AS ts
  FROM day_sessions s JOIN gen_templates t
    ON t.kind = 'sched' AND (list_contains(t.roles, s.role) OR list_contains(t.roles, '*'))
),
logon_script AS (
  -- The workstation owner's logon script: a burst of ~10 processes within ~20 s of the logon.
  SELECT s.*, t.*, 'pl' AS kind_prefix, t.seq AS n,
         hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), t.template_id) AS r,
         s.owner_logon_ts + gen_us(5000000 + t.seq * 1800000
           + hash(getvariable('gen_seed'), s.host_idx, getvariable('gen_day_idx'), t.template_id) % 900000) AS ts
  FROM day_sessions s JOIN gen_templates t ON t.kind = 'logon_script' AND s.role = 'wks'
),
rollouts AS (
  -- A fleet-wide rollout: one version for the whole fleet on one day, on part of the hosts.
  SELECT s.*, t.*, 'pr' AS kind_prefix, t.seq AS n,
         hash(getvariable('gen_seed'), t.template_id) AS r,
         getvariable('gen_day')::TIMESTAMP + gen_us(10 * 3600000000
           + hash(getvariable('gen_seed'), s.host_idx, t.template_id) % (4 * 3600000000)) AS ts
  FROM day_sessions s JOIN gen_templates t ON t.kind = 'rollout'
  WHERE hash(getvariable('gen_seed'), t.template_id, 'day') % getvariable('gen_days') = getvariable('gen_day_idx')
    AND gen_u(hash(getvariable('gen_seed'), s.host_idx, t.template_id, 'on')) < t.weight
),
all_events AS (
  SELECT * FROM timed
  UNION ALL BY NAME SELECT * FROM scheduled
  UNION ALL BY NAME SELECT * FROM logon_script
  UNION ALL BY NAME SELECT * FROM rollouts
),
accounts AS (
  SELECT *,
         CASE account WHEN 'system' THEN 'SYSTEM' WHEN 'network_service' THEN 'NETWORK SERVICE'
                      WHEN 'local_service' THEN 'LOCAL SERVICE' WHEN 'service' THEN svc_account ELSE owner END AS user_name,
         CASE WHEN account IN ('system', 'network_service', 'local_service') THEN 'NT AUTHORITY' ELSE 'CONTOSO' END AS user_domain,
         CASE account WHEN 'system' THEN '0x3e7' WHEN 'network_service' THEN '0x3e4' WHEN 'local_service' THEN '0x3e5'
                      WHEN 'service' THEN svc_logon_id ELSE owner_logon_id END AS logon_id,
         md5(r::VARCHAR || 'a') AS m1, md5(r::VARCHAR || 'b') AS m2,
         (r >> 29) % getvariable('gen_host_count') AS other_idx
  FROM all_events
),
with_values AS (
  SELECT a.*, gen_values(a.r, a.m1, a.m2, a.ts, a.owner, o.host) AS v
  FROM accounts a JOIN gen_hosts o ON o.host_idx = a.other_idx
)
SELECT kind_prefix || strftime(getvariable('gen_day'), '%Y%m%d') || '-' || host_idx || '-' || n AS event_id,
       ts, host_idx, host, fqdn, user_name, user_domain, logon_id,
       gen_pid(r) AS process_id,
       -- Most images and parents have no placeholder: skip the fill for them.
       CASE WHEN contains(image, '{') THEN gen_fill(image, v) ELSE image END AS image,
       gen_fill(command, v) AS command_line,
       gen_pid(r >> 32) AS parent_process_id,
       CASE WHEN contains(parent_image, '{') THEN gen_fill(parent_image, v) ELSE parent_image END AS parent_image,
       template_id,
       false AS malicious, NULL::VARCHAR AS campaign_id, NULL::VARCHAR AS campaign_kind
FROM with_values;

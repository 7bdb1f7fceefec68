-- layer: staging
-- parameters: gen_seed INTEGER, gen_day DATE, gen_day_idx INTEGER
-- Each host's accounts for the day: its owner's interactive session and its service account.
-- Input: gen_hosts (pipeline/generate/generate-fleet.ts).
CREATE OR REPLACE TEMP TABLE day_sessions AS
SELECT h.*,
       gen_logon_id(hash(getvariable('gen_seed'), h.host_idx, getvariable('gen_day_idx'), 'owner')) AS owner_logon_id,
       gen_logon_id(hash(getvariable('gen_seed'), h.host_idx, getvariable('gen_day_idx'), 'svc')) AS svc_logon_id,
       getvariable('gen_day')::TIMESTAMP
         + gen_us((7.5 * 3600 + gen_u(hash(getvariable('gen_seed'), h.host_idx, getvariable('gen_day_idx'), 'logon')) * 7200) * 1e6) AS owner_logon_ts
FROM gen_hosts h;

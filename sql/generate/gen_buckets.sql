-- layer: staging
-- parameters: none
-- 1,000 buckets per role over the background templates, in proportion to their weights: a
-- background event's hash picks its template by bucket. Inputs: gen_hosts, gen_templates
-- (pipeline/generate/generate-fleet.ts).
CREATE OR REPLACE TEMP TABLE gen_buckets AS
WITH per_role AS (
  SELECT r.role, t.template_id, t.weight
  FROM (SELECT DISTINCT role FROM gen_hosts) r
  JOIN gen_templates t ON t.kind = 'bg' AND (list_contains(t.roles, r.role) OR list_contains(t.roles, '*'))
),
cumulative AS (
  SELECT role, template_id,
         floor(1000 * (sum(weight) OVER (PARTITION BY role ORDER BY template_id ROWS UNBOUNDED PRECEDING) - weight)
               / sum(weight) OVER (PARTITION BY role)) AS lo,
         floor(1000 * sum(weight) OVER (PARTITION BY role ORDER BY template_id ROWS UNBOUNDED PRECEDING)
               / sum(weight) OVER (PARTITION BY role)) AS hi
  FROM per_role
)
SELECT role, b.bucket, template_id FROM cumulative JOIN range(0, 1000) b(bucket) ON b.bucket >= lo AND b.bucket < hi;

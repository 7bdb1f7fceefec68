-- Scheduled tasks (models/scheduled-tasks.ts): how a `schtasks /create` line's action and a run's
-- line are compared (sql/context/context_activation_links.sql here, context_remote_tasks.sql and
-- context_remote_asks.sql / context_remote_started.sql across hosts).

-- A run's line, or an action, as compared: lowercase, without quotes, spaces folded.
CREATE OR REPLACE TEMP MACRO ac_task_line(x) AS trim(regexp_replace(replace(lower(x), '"', ''), '\s+', ' ', 'g'));
-- A lowercase registration's action (pattern: models/scheduled-tasks.ts TASK_ACTION, group 1 quoted
-- with \" inside, group 2 a word), as compared.
CREATE OR REPLACE TEMP MACRO ac_task_action_of(line, pattern) AS
  ac_task_line(replace(coalesce(nullif(regexp_extract(line, pattern, 1), ''), regexp_extract(line, pattern, 2)), '\"', ''));
-- An action with environment variables (%windir%), which the Task Scheduler expands: a regular
-- expression with each as one word; NULL for an action without.
CREATE OR REPLACE TEMP MACRO ac_task_action_re(action) AS
  CASE WHEN contains(action, '%')
       THEN '^' || replace(replace(regexp_escape(regexp_replace(action, '%[^%\s\\]+%', chr(1), 'g')), '\' || chr(1), chr(1)), chr(1), '[^ ]*') || '$' END;
-- The host a lowercase registration's `/s` names outside its action (remote_pattern: TASK_CREATE_REMOTE,
-- `/s host` or `/s \\host`), as a host key; NULL for none.
CREATE OR REPLACE TEMP MACRO ac_task_named(line, action_pattern, remote_pattern) AS
  ac_host_key(ltrim(nullif(regexp_extract(regexp_replace(line, action_pattern, ' '), remote_pattern, 1), ''), '\'));
-- A registration's task runs on another host: its `/s` names one (ac_task_named) other than the
-- host itself (its key, localhost, 127.0.0.1). False for none.
CREATE OR REPLACE TEMP MACRO ac_task_elsewhere(named, host) AS coalesce(named NOT IN (host, 'localhost', '127.0.0.1'), false);

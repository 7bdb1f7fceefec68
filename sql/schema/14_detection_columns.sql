-- Fields detections use (Sigma rules, issues 14 and 15), where the source has them. Added here with
-- ALTER ... IF NOT EXISTS, not in 10_process_events.sql / 12_alerts.sql: a database made before
-- gains them when it is opened, its rows kept, and old and new databases keep one column order.
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS parent_command_line VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS original_file_name VARCHAR;  -- PE header name (Sysmon OriginalFileName)
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS integrity_level VARCHAR;     -- Low | Medium | High | System
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS hashes VARCHAR;              -- Sysmon's 'MD5=...,SHA256=...,IMPHASH=...'
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS current_directory VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS process_guid VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS parent_process_guid VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS user_sid VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS file_description VARCHAR;    -- version resource: Description
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS product VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS company VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS file_version VARCHAR;
ALTER TABLE process_events ADD COLUMN IF NOT EXISTS parent_user VARCHAR;         -- 'DOMAIN\user' of the parent (Sysmon 13.30+)

-- An alert made by a Sigma rule (source 'sigma') carries the rule and the event it matched; the
-- DRL 1.1 asks that the rule's id and author and a link to its repository travel with it.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS rule_id VARCHAR;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS rule_author VARCHAR;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS rule_tags VARCHAR[];                 -- ATT&CK tags: attack.t1059.001, attack.execution
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS rule_reference VARCHAR;              -- where the rule comes from, and its licence
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS matched_event_id VARCHAR;            -- process_events / logon_events event_id

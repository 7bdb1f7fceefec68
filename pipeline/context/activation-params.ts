import {
  SC_ALIAS_PROGRAMS, SERVICE_CONTROL_MANAGER, SERVICE_EXEC_NAME, SERVICE_EXEC_REMOTE, SERVICE_EXEC_SERVICE, SERVICE_EXEC_TOOL, SERVICE_HOST_NAME, SERVICE_START_COMMAND, SERVICE_START_COMMAND_SC_ALIASED, SERVICE_START_NAME, SERVICE_START_PROGRAMS, SERVICE_START_REMOTE, SERVICE_START_SECONDS,
} from '../../models/service-control.js';
import { TASK_ACTION, TASK_CREATE, TASK_CREATE_REMOTE, TASK_SCHEDULER_HOSTS } from '../../models/scheduled-tasks.js';
import { CONSUMER_HOSTS, CONSUMER_IMAGES, CONSUMER_PARENT, CONSUMER_SECONDS, WMI_PROVIDER_HOST } from '../../models/wmi-consumers.js';

/** How a `schtasks /create` line is read (models/scheduled-tasks.ts): here, and on another host (context_remote_tasks.sql). */
export const TASK_PARAMS = {
  ac_task_scheduler_hosts: TASK_SCHEDULER_HOSTS, ac_task_create: TASK_CREATE, ac_task_create_remote: TASK_CREATE_REMOTE, ac_task_action: TASK_ACTION,
};

/**
 * The parameters of sql/context/context_activation_links.sql: what starts a service
 * (models/service-control.ts) and a scheduled task's action (models/scheduled-tasks.ts).
 */
export const ACTIVATION_PARAMS = {
  ac_service_control_manager: SERVICE_CONTROL_MANAGER, ac_service_start_programs: SERVICE_START_PROGRAMS, ac_service_start_command: SERVICE_START_COMMAND,
  ac_service_start_remote: SERVICE_START_REMOTE, ac_service_start_name: SERVICE_START_NAME, ac_service_host_name: SERVICE_HOST_NAME,
  ac_service_start_seconds: SERVICE_START_SECONDS, ac_sc_alias_programs: SC_ALIAS_PROGRAMS, ac_service_start_command_sc_aliased: SERVICE_START_COMMAND_SC_ALIASED,
  ac_service_exec_tool: SERVICE_EXEC_TOOL, ac_service_exec_remote: SERVICE_EXEC_REMOTE, ac_service_exec_service: SERVICE_EXEC_SERVICE, ac_service_exec_name: SERVICE_EXEC_NAME,
  ...TASK_PARAMS,
};

/** WMI's event consumers (models/wmi-consumers.ts): context_consumer_sessions.sql. */
export const CONSUMER_PARAMS = {
  ac_consumer_hosts: CONSUMER_HOSTS, ac_consumer_images: CONSUMER_IMAGES, ac_consumer_parent: CONSUMER_PARENT,
  ac_wmi_provider_host: WMI_PROVIDER_HOST, ac_consumer_seconds: CONSUMER_SECONDS,
};

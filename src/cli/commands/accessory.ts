// `kamal accessory ...` (reference §1.5). NAME may be `all` for boot, reboot, details and remove.
import { defineCommand, defineGroup } from "../define.ts";
import { CMD, CONFIRMED, INTERACTIVE, LOG_OPTIONS, NAME, RAW, REUSE, ROLLING } from "./shared-options.ts";

export const accessoryGroup = defineGroup("accessory", "Manage accessories (db/redis/search)", [
  defineCommand({ name: "boot", desc: "Boot new accessory service on host (use NAME=all to boot all accessories)", params: NAME }),
  defineCommand({ name: "upload", desc: "Upload accessory files to host", params: NAME, hidden: true }),
  defineCommand({ name: "directories", desc: "Create accessory directories on host", params: NAME, hidden: true }),
  defineCommand({ name: "reboot", desc: "Reboot existing accessory on host (stop container, remove container, start new container; use NAME=all to boot all accessories)", params: NAME }),
  defineCommand({ name: "start", desc: "Start existing accessory container on host", params: NAME }),
  defineCommand({ name: "stop", desc: "Stop existing accessory container on host", params: NAME }),
  defineCommand({ name: "restart", desc: "Restart existing accessory container on host", params: NAME }),
  defineCommand({ name: "details", desc: "Show details about accessory on host (use NAME=all to show all accessories)", params: NAME }),
  defineCommand({
    name: "exec",
    desc: "Execute a custom command on servers within the accessory container (use --help to show options)",
    params: [...NAME, ...CMD],
    passUnknownOptions: true,
    options: [INTERACTIVE, REUSE, RAW],
  }),
  defineCommand({ name: "logs", desc: "Show log lines from accessory on host (use --help to show options)", params: NAME, options: LOG_OPTIONS }),
  defineCommand({ name: "remove", desc: "Remove accessory container, image and data directory from host (use NAME=all to remove all accessories)", params: NAME, options: [CONFIRMED] }),
  defineCommand({ name: "upgrade", desc: "Upgrade accessories from Kamal 1.x to 2.0 (restart them in 'kamal' network)", params: NAME, options: [ROLLING, CONFIRMED] }),
  defineCommand({ name: "pull_image", desc: "Pull accessory image on host", params: NAME, hidden: true }),
  defineCommand({ name: "remove_container", desc: "Remove accessory container from host", params: NAME, hidden: true }),
  defineCommand({ name: "remove_image", desc: "Remove accessory image from host", params: NAME, hidden: true }),
  defineCommand({ name: "remove_service_directory", desc: "Remove accessory directory used for uploaded files and data directories from host", params: NAME, hidden: true }),
]);

// `kamal app remove` directories (reference §4.6): the app's directory under .kamal/apps and its kamal-proxy config.
import type { Config } from "../../config/index.ts";
import { cmd, type Cmd } from "../../shell/index.ts";

/** rm -r .kamal/apps/<svc[-dest]> */
export const removeAppDirectory = (config: Config): Cmd => cmd("rm", "-r", config.appDirectory);

/** rmdir .kamal/apps (only succeeds when no app is left) */
export const removeAppsDirectoryIfEmpty = (config: Config): Cmd => cmd("rmdir", config.appsDirectory);

/** rm -r .kamal/proxy/apps-config/<svc[-dest]> */
export const removeProxyAppDirectory = (config: Config): Cmd => cmd("rm", "-r", config.proxyAppDirectory);

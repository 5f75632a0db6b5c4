// Custom error pages for kamal-proxy (reference §3.8): uploaded per version under the proxy's apps-config directory.
import type { Config } from "../../config/index.ts";
import { cmd, type Cmd } from "../../shell/index.ts";

/** `.kamal/proxy/apps-config/<svc[-dest]>/error_pages/<version>` on the host. */
export const errorPagesVersionDirectory = (config: Config, version: string): string => `${config.errorPagesDirectory}/${version}`;

/** mkdir -p <error pages dir>/<version> */
export const makeErrorPagesDirectory = (config: Config, version: string): Cmd => cmd("mkdir", "-p", errorPagesVersionDirectory(config, version));

/** find <error pages dir> -mindepth 1 -maxdepth 1 ! -name <version> -exec rm -rf {} + */
export const cleanUpErrorPages = (config: Config, version: string): Cmd =>
  cmd("find", config.errorPagesDirectory, "-mindepth", "1", "-maxdepth", "1", "!", "-name", version, "-exec", "rm", "-rf", "{}", "+");

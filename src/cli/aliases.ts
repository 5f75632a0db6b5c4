// `aliases:` from deploy.yml (reference §1.12): read from the raw config (no validation), like Kamal does.
import type { CliIO, GlobalOptions } from "./context.ts";

export async function lookupAliasInConfig(name: string, global: GlobalOptions, io: CliIO): Promise<string | undefined> {
  const { existsSync } = await import("node:fs");
  const { isAbsolute, join } = await import("node:path");
  const file = isAbsolute(global.configFile) ? global.configFile : join(io.cwd, global.configFile);
  if (!existsSync(file)) return undefined;
  const { loadRawConfig } = await import("../config/load.ts");
  const { raw } = loadRawConfig({ configFile: global.configFile, destination: global.destination, cwd: io.cwd, env: { ...io.env } });
  const aliases = raw.aliases;
  if (typeof aliases !== "object" || aliases === null || Array.isArray(aliases)) return undefined;
  if (!Object.hasOwn(aliases, name)) return undefined;
  const value = (aliases as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

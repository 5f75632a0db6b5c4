// Local hooks (reference §4.7): `.kamal/hooks/<name>` (or hooks_path), run as `/usr/bin/env <path>` with KAMAL_* variables.
import { cmd, type Cmd } from "../shell/index.ts";
import type { Tags } from "./auditor.ts";

export const hookFile = (hooksPath: string, name: string): string => `${hooksPath.replace(/\/+$/, "")}/${name}`;

/** /usr/bin/env .kamal/hooks/<name> */
export const runHook = (hooksPath: string, name: string): Cmd => cmd("/usr/bin/env", hookFile(hooksPath, name));

/** chmod +x .kamal/hooks/<name> (shown to the user when a hook cannot run). */
export const makeHookExecutable = (hooksPath: string, name: string): Cmd => cmd("chmod", "+x", hookFile(hooksPath, name));

/** Tags as hook environment: keys upper-cased and prefixed KAMAL_, unset values dropped; then secrets (if given). */
export function hookEnv(tags: Tags, secrets: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) if (value !== undefined) env[`KAMAL_${key.toUpperCase()}`] = value;
  return { ...env, ...secrets };
}

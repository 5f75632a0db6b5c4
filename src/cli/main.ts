// `kamal` entry: runs one command line against the real process (or the IO a caller gives) and returns the exit code.
import type { CliIO } from "./context.ts";
import { lookupAliasInConfig } from "./aliases.ts";
import { runCli, type CliSetup } from "./dispatch.ts";
import { REGISTRY } from "./registry.ts";
import { fdWriter } from "./stdio.ts";

export const DEFAULT_SETUP: CliSetup = { registry: REGISTRY, lookupAlias: lookupAliasInConfig };

export function processIO(): CliIO {
  return { cwd: process.cwd(), env: process.env, stdout: fdWriter(1), stderr: fdWriter(2) };
}

export async function kamalMain(args: string[], io: CliIO = processIO(), setup: CliSetup = DEFAULT_SETUP): Promise<number> {
  return runCli(args, io, setup);
}

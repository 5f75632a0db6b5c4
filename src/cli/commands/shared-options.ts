// Options several commands declare the same way (Kamal repeats them per command).
import type { OptionSpec } from "../options.ts";

export const SKIP_PUSH = { name: "skip-push", alias: "P", type: "boolean", default: false, desc: "Skip image build and push" } as const satisfies OptionSpec;
export const NO_CACHE = { name: "no-cache", type: "boolean", default: false, desc: "Build without using Docker's build cache" } as const satisfies OptionSpec;
export const CONFIRMED = { name: "confirmed", alias: "y", type: "boolean", default: false, desc: "Proceed without confirmation question" } as const satisfies OptionSpec;
export const ROLLING = { name: "rolling", type: "boolean", default: false, desc: "Upgrade one host at a time" } as const satisfies OptionSpec;
export const INTERACTIVE = { name: "interactive", alias: "i", type: "boolean", default: false, desc: "Execute command over ssh for an interactive shell (use for console/bash)" } as const satisfies OptionSpec;
export const REUSE = { name: "reuse", type: "boolean", default: false, desc: "Reuse currently running container instead of starting a new one" } as const satisfies OptionSpec;
export const RAW = { name: "raw", type: "boolean", default: false, desc: "Write the command's output as it is, with no host headers" } as const satisfies OptionSpec;

/** `logs` options of app, proxy and accessory. */
export const LOG_OPTIONS = [
  { name: "since", alias: "s", type: "string", desc: "Show lines since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)" },
  { name: "lines", alias: "n", type: "numeric", desc: "Number of lines to show from each server" },
  { name: "grep", alias: "g", type: "string", desc: "Show lines with grep match only (use this to fetch specific requests by id)" },
  { name: "grep-options", type: "string", desc: "Additional options supplied to grep" },
  { name: "follow", alias: "f", type: "boolean", default: false, desc: "Follow log on primary server (or specific host set by --hosts)" },
  { name: "skip-timestamps", alias: "T", type: "boolean", default: false, desc: "Skip appending timestamps to logging output" },
] as const satisfies readonly OptionSpec[];

export const NAME = [{ name: "name", required: true }] as const;
export const CMD = [{ name: "cmd", variadic: true }] as const;

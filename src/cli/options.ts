// Option and parameter declarations, and the types a handler receives for them.
// Option names are Kamal's long names in kebab-case (`skip-push`); handlers see them camelCased (`skipPush`).

export type OptionType = "boolean" | "string" | "numeric" | "array" | "hash";

export interface OptionSpec {
  readonly name: string;
  /** One-letter short alias, without the dash. */
  readonly alias?: string;
  readonly type: OptionType;
  readonly desc: string;
  readonly default?: boolean | string | number | readonly string[];
  readonly required?: boolean;
  readonly hidden?: boolean;
  /** Placeholder shown in help (`--message=MESSAGE`). */
  readonly banner?: string;
}

export interface ParamSpec {
  readonly name: string;
  readonly required?: boolean;
  /** Collects all remaining positional arguments. */
  readonly variadic?: boolean;
}

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

type ValueOf<T extends OptionType> = T extends "boolean"
  ? boolean
  : T extends "numeric"
    ? number
    : T extends "array"
      ? string[]
      : T extends "hash"
        ? Record<string, string>
        : string;

type AlwaysSet<O extends OptionSpec> = O extends { type: "boolean" }
  ? true
  : O extends { default: unknown }
    ? true
    : O extends { required: true }
      ? true
      : false;

export type OptionValues<S extends readonly OptionSpec[]> = {
  [O in S[number] as Camel<O["name"]>]: AlwaysSet<O> extends true ? ValueOf<O["type"]> : ValueOf<O["type"]> | undefined;
};

export type ParamValues<P extends readonly ParamSpec[]> = {
  [Q in P[number] as Q["name"]]: Q extends { variadic: true } ? string[] : Q extends { required: true } ? string : string | undefined;
};

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Kamal's global (class) options, reference §1.1. */
export const GLOBAL_OPTIONS = [
  { name: "verbose", alias: "v", type: "boolean", desc: "Detailed logging" },
  { name: "quiet", alias: "q", type: "boolean", desc: "Minimal logging" },
  { name: "version", type: "string", banner: "VERSION", desc: "Run commands against a specific app version" },
  { name: "primary", alias: "p", type: "boolean", desc: "Run commands only on primary host instead of all" },
  { name: "hosts", alias: "h", type: "string", banner: "HOSTS", desc: "Run commands on these hosts instead of all (separate by comma, supports wildcards with *)" },
  { name: "roles", alias: "r", type: "string", banner: "ROLES", desc: "Run commands on these roles instead of all (separate by comma, supports wildcards with *)" },
  { name: "config-file", alias: "c", type: "string", default: "config/deploy.yml", banner: "CONFIG_FILE", desc: "Path to config file" },
  { name: "destination", alias: "d", type: "string", banner: "DESTINATION", desc: "Specify destination to be used for config file (staging -> deploy.staging.yml)" },
  { name: "skip-hooks", alias: "H", type: "boolean", default: false, desc: "Don't run hooks" },
  { name: "lock-wait", type: "boolean", default: false, desc: "Wait for the deploy lock instead of failing" },
  { name: "lock-wait-timeout", type: "numeric", default: 900, banner: "N", desc: "Seconds to wait for the deploy lock" },
  { name: "lock-wait-interval", type: "numeric", default: 15, banner: "N", desc: "Seconds between deploy lock attempts" },
] as const satisfies readonly OptionSpec[];

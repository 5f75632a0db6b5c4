// Kamal's example-driven validation (lib/kamal/configuration/validator.rb), re-expressed so that it collects
// every problem instead of raising the first. A problem is `<context>: <message>`, where the context is the
// `/`-joined path to the value (empty at the root). Where Kamal would stop at an error, the check stops
// descending into that value, so follow-on noise is not reported.

import { isRubySymbol } from "../yaml.ts";
import { SECTION, type ExampleHash, type ExampleValue } from "../schema/examples.ts";

export type TypeName = "string" | "integer" | "boolean" | "array" | "hash" | "symbol" | "nil";

export interface Problem { message: string; kind: "configuration" | "argument" }

export function isHash(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || isRubySymbol(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A raw value as text for a message; never throws (hashes without a prototype, nested data print as JSON). */
export function valueText(value: unknown): string {
  if (value !== null && typeof value === "object" && !isRubySymbol(value)) return JSON.stringify(value) ?? "nil";
  return String(value);
}

/** Kamal's `stringish?`: String, Symbol, Numeric, true or false. */
export function isStringish(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" || isRubySymbol(value);
}

function isType(value: unknown, type: TypeName): boolean {
  switch (type) {
    case "string": return isStringish(value);
    case "symbol": return isRubySymbol(value);
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "boolean": return typeof value === "boolean";
    case "array": return Array.isArray(value);
    case "hash": return isHash(value);
    case "nil": return value === null || value === undefined;
  }
}

const DESCRIPTIONS: Record<TypeName, string> = {
  string: "a string", integer: "an integer", boolean: "a boolean", array: "an array", hash: "a hash", symbol: "a symbol", nil: "a nil",
};

function exampleType(example: ExampleValue | undefined): TypeName {
  if (example === undefined) return "nil";
  if (Array.isArray(example)) return "array";
  if (typeof example === "object") return "hash";
  if (typeof example === "number") return "integer";
  if (typeof example === "boolean") return "boolean";
  return "string";
}

/** ActiveSupport `present?`. */
export function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  if (isHash(value)) return Object.keys(value).length > 0;
  return true;
}

export class Checker {
  constructor(readonly problems: Problem[], readonly context: string, private readonly allowExtensions = false) {}

  /** A checker for a nested path (`servers` + `web` -> `servers/web`). */
  at(key: string | number): Checker {
    const part = String(key);
    return new Checker(this.problems, [this.context, part].filter((p) => p !== "").join("/"));
  }

  error(message: string, kind: Problem["kind"] = "configuration"): false {
    this.problems.push({ message: this.context ? `${this.context}: ${message}` : message, kind });
    return false;
  }

  typeError(...types: TypeName[]): false {
    return this.error(`should be ${[...new Set(types.map((t) => DESCRIPTIONS[t]))].join(" or ")}`);
  }

  checkType(value: unknown, ...types: TypeName[]): boolean {
    return types.some((t) => isType(value, t)) || this.typeError(...types);
  }

  unknownKeys(keys: string[]): false {
    return this.error(`unknown ${keys.length === 1 ? "key" : "keys"}: ${keys.join(", ")}`);
  }

  /** Kamal's validate_against_example!. Returns false when the value itself has the wrong type. */
  againstExample(value: unknown, example: ExampleValue): boolean {
    if (!this.checkType(value, exampleType(example))) return false;
    if (!isHash(value) || !isHash(example)) return true;
    const known = Object.keys(example);
    const unknown = Object.keys(value).filter((k) => !known.includes(k) && !(this.allowExtensions && isExtension(k)));
    if (unknown.length) this.unknownKeys(unknown);
    for (const [key, item] of Object.entries(value)) {
      if (isExtension(key) || !known.includes(key)) continue;
      this.at(key).exampleKey(key, item, (example as ExampleHash)[key], this.context === "" && this.allowExtensions);
    }
    return true;
  }

  private exampleKey(key: string, value: unknown, example: ExampleValue, atRoot: boolean): void {
    if (example === SECTION) {
      if (key === "proxy" && typeof value === "boolean") return;
      if (atRoot && key === "servers") this.checkType(value, "array", "hash");
      else this.checkType(value, "hash");
    } else if (key === "ssl") this.checkType(value, "boolean", "hash");
    else if (key === "hooks_output") this.hooksOutput(value);
    else if (key === "hosts" && !atRoot) this.servers(value);
    else if (Array.isArray(example)) {
      const elementType = exampleType(example[0]);
      if (key === "arch") this.arrayOfOrType(value, elementType);
      else if (key === "config") this.sshConfig(value);
      else if (key === "files" || key === "directories") this.paths(value);
      else this.arrayOf(value, elementType);
    } else if (isHash(example)) {
      if (key === "options" || key === "args") this.checkType(value, "hash");
      else if (key === "labels") this.hashOf(value, exampleType(Object.values(example)[0]));
      else this.againstExample(value, example);
    } else this.checkType(value, exampleType(example));
  }

  arrayOf(value: unknown, type: TypeName): boolean {
    if (!this.checkType(value, "array")) return false;
    let ok = true;
    (value as unknown[]).forEach((item, index) => { ok = this.at(index).checkType(item, type) && ok; });
    return ok;
  }

  hashOf(value: unknown, type: TypeName): boolean {
    if (!this.checkType(value, "hash")) return false;
    let ok = true;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) ok = this.at(key).checkType(item, type) && ok;
    return ok;
  }

  private arrayOfOrType(value: unknown, type: TypeName): void {
    const scratch = new Checker([], this.context);
    const ok = Array.isArray(value) ? scratch.arrayOf(value, type) : scratch.checkType(value, type);
    if (!ok) this.typeError("array", type);
  }

  /** Hosts with optional tags: `- host` or `- host: tag` / `- host: [tags]`. */
  servers(value: unknown): void {
    if (!this.checkType(value, "array")) return;
    (value as unknown[]).forEach((server, index) => {
      const at = this.at(index);
      if (!at.checkType(server, "string", "hash")) return;
      if (!isHash(server)) return;
      const entries = Object.entries(server);
      if (entries.length !== 1) { at.error("multiple hosts found"); return; }
      const [host, tags] = entries[0];
      const hostAt = at.at(host);
      if (hostAt.checkType(tags, "string", "array") && Array.isArray(tags)) hostAt.arrayOf(tags, "string");
    });
  }

  private sshConfig(value: unknown): void {
    if (Array.isArray(value)) this.arrayOf(value, "string");
    else if (typeof value !== "boolean" && typeof value !== "string") this.typeError("boolean", "string", "array");
  }

  private paths(value: unknown): void {
    if (!this.checkType(value, "array")) return;
    (value as unknown[]).forEach((path, index) => {
      const at = this.at(index);
      if (!at.checkType(path, "string", "hash") || !isHash(path)) return;
      for (const key of ["local", "remote", "mode", "owner", "options"]) {
        if (key in path) at.at(key).checkType(path[key], "string");
      }
    });
  }

  private hooksOutput(value: unknown): void {
    if (isHash(value)) for (const [hook, level] of Object.entries(value)) this.at(hook).checkType(level, "string", "symbol");
    else this.checkType(value, "string", "symbol");
  }

  /** `labels` may not use the reserved names (roles and accessories only). */
  reservedLabels(labels: unknown): void {
    if (!isHash(labels)) return;
    for (const key of Object.keys(labels)) {
      if (["destination", "role", "service"].includes(key)) {
        this.at("labels").at(key).error("invalid label. destination, role, and service are reserved labels");
      }
    }
  }

  /** `options.restart` must be a restart policy string. */
  dockerOptions(options: unknown): void {
    if (!isHash(options) || !("restart" in options)) return;
    const policy = options.restart;
    const at = this.at("options/restart");
    if (typeof policy !== "string") at.error('should be a string. Use "no" to disable restarts');
    else if (!/^(?:no|always|unless-stopped|on-failure(?::\d+)?)$/.test(policy)) {
      at.error("should be no, always, unless-stopped, on-failure, or on-failure:N");
    }
  }
}

function isExtension(key: string): boolean {
  return key.startsWith("x-");
}

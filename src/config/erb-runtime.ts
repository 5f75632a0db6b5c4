// Evaluation of the parsed ERB Ruby subset against an environment (ENV), a working directory and a host
// that reads files and runs backticks. See erb.ts for what is supported.

import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigurationError } from "../errors.ts";
import { UnsupportedRuby, type Expr, type Statement } from "./erb-parser.ts";
import { parseDotenv } from "./secrets/dotenv.ts";

/**
 * Ruby's KeyError from `ENV.fetch("X")`; Kamal prints `ERROR (KeyError): key not found: "X"`. We keep that start and,
 * once the renderer knows the template line, add where it is and how to fix it.
 */
export class ErbKeyError extends ConfigurationError {
  constructor(readonly key: string, readonly where?: string) {
    super(`key not found: ${JSON.stringify(key)}` +
      (where ? ` (ENV.fetch in ${where}; set ${key} in the environment or give ENV.fetch a default)` : ""));
    this.name = "ErbKeyError";
    Object.defineProperty(this, "kind", { value: "KeyError" });
  }
}

/** The side effects ERB may have: reading files and running shell commands (injectable for tests). */
export interface ErbHost {
  /** File contents, or undefined when the file does not exist. */
  readFile(path: string): string | undefined;
  isFile(path: string): boolean;
  /** Runs `/bin/sh -c command`; returns stdout exactly (stderr goes to the terminal, like Ruby backticks). */
  run(command: string, cwd: string, env: Record<string, string | undefined>): string;
}

export const defaultErbHost: ErbHost = {
  readFile(path) {
    try { return readFileSync(path, "utf8"); } catch { return undefined; }
  },
  isFile(path) {
    try { return statSync(path).isFile(); } catch { return false; }
  },
  run(command, cwd, env) {
    const result = spawnSync("/bin/sh", ["-c", command], { cwd, env: cleanEnv(env), encoding: "utf8", stdio: ["inherit", "pipe", "inherit"] });
    return result.stdout ?? "";
  },
};

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

export interface RubyContext { env: Record<string, string | undefined>; cwd: string; host: ErbHost; locals: Map<string, unknown> }

export function evaluateStatement(statement: Statement, ctx: RubyContext): unknown {
  switch (statement.kind) {
    case "if": case "unless": case "elsif": case "expr": return evaluate(statement.expr, ctx);
    case "assign": { const value = evaluate(statement.expr, ctx); ctx.locals.set(statement.name, value); return value; }
    default: return null;
  }
}

function evaluate(expr: Expr, ctx: RubyContext): unknown {
  switch (expr.k) {
    case "lit": return expr.v;
    case "str": return expr.parts.map((p) => (typeof p === "string" ? p : rubyToS(evaluate(p, ctx)))).join("");
    case "cmd": return ctx.host.run(expr.parts.map((p) => (typeof p === "string" ? p : rubyToS(evaluate(p, ctx)))).join(""), ctx.cwd, ctx.env);
    case "var":
      if (ctx.locals.has(expr.name)) return ctx.locals.get(expr.name);
      throw new UnsupportedRuby(expr.name);
    case "const":
      if (["ENV", "File", "Dotenv", "URI", "Kamal::Utils"].includes(expr.path)) return new RubyConst(expr.path);
      throw new UnsupportedRuby(expr.path);
    case "or": { const a = evaluate(expr.a, ctx); return truthy(a) ? a : evaluate(expr.b, ctx); }
    case "and": { const a = evaluate(expr.a, ctx); return truthy(a) ? evaluate(expr.b, ctx) : a; }
    case "not": return !truthy(evaluate(expr.a, ctx));
    case "eq": case "ne": {
      const same = rubyEquals(evaluate(expr.a, ctx), evaluate(expr.b, ctx));
      return expr.k === "eq" ? same : !same;
    }
    case "index": {
      const recv = evaluate(expr.recv, ctx);
      if (recv instanceof RubyConst && recv.path === "ENV") return envGet(ctx, evaluate(expr.arg, ctx));
      throw new UnsupportedRuby("[]");
    }
    case "ternary": return truthy(evaluate(expr.cond, ctx)) ? evaluate(expr.a, ctx) : evaluate(expr.b, ctx);
    case "add": return rubyAdd(evaluate(expr.a, ctx), evaluate(expr.b, ctx));
    case "call": {
      const args = expr.args.map((a) => evaluate(a, ctx));
      if (expr.block) {
        const recv = expr.recv && evaluate(expr.recv, ctx);
        if (!(recv instanceof RubyConst && recv.path === "ENV" && expr.name === "fetch" && args.length === 1)) throw new UnsupportedRuby("block");
        const value = envGet(ctx, args[0]);
        return value !== null ? value : evaluate(expr.block, ctx);
      }
      if (expr.recv === null) return callFunction(expr.name, args, ctx);
      return callMethod(evaluate(expr.recv, ctx), expr.name, args, ctx);
    }
  }
}

class RubyConst { constructor(readonly path: string) {} }

/** What `URI.parse` returns, with Ruby's URI::Generic readers. */
class RubyUri {
  readonly scheme: string | null; readonly userinfo: string | null; readonly host: string | null;
  readonly port: number | null; readonly path: string; readonly query: string | null; readonly fragment: string | null;
  constructor(readonly source: string) {
    const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(source);
    if (!m) throw new ConfigurationError(`bad URI(is not URI?): ${JSON.stringify(source)}`);
    const authority = m[2];
    const at = authority?.lastIndexOf("@") ?? -1;
    const hostPort = authority === undefined ? undefined : authority.slice(at + 1);
    const hp = hostPort === undefined ? null : /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
    this.scheme = m[1] ?? null;
    this.userinfo = authority !== undefined && at >= 0 ? authority.slice(0, at) : null;
    this.host = hp ? hp[1] : null;
    const defaults: Record<string, number> = { http: 80, https: 443, ftp: 21, ws: 80, wss: 443 };
    this.port = hp?.[2] ? Number(hp[2]) : defaults[(this.scheme ?? "").toLowerCase()] ?? null;
    this.path = m[3];
    this.query = m[4] ?? null;
    this.fragment = m[5] ?? null;
  }
  toString(): string { return this.source; }
}

function envGet(ctx: RubyContext, key: unknown): string | null {
  if (typeof key !== "string") throw new UnsupportedRuby("ENV key");
  return ctx.env[key] ?? null;
}

function callFunction(name: string, args: unknown[], ctx: RubyContext): unknown {
  if (name === "require" && typeof args[0] === "string") {
    if (args[0] === "dotenv/load") dotenvLoad(ctx, [], false, false);
    return true;
  }
  if (name === "puts" || name === "p") return null;
  throw new UnsupportedRuby(name);
}

function callMethod(recv: unknown, name: string, args: unknown[], ctx: RubyContext): unknown {
  if (recv instanceof RubyConst) return callConst(recv.path, name, args, ctx);
  if (recv instanceof RubyUri) {
    const readers: Record<string, unknown> = {
      scheme: recv.scheme, host: recv.host, hostname: recv.host?.replace(/^\[|\]$/g, "") ?? null, port: recv.port,
      path: recv.path, query: recv.query, fragment: recv.fragment, userinfo: recv.userinfo,
      user: recv.userinfo?.split(":")[0] ?? null, password: recv.userinfo?.includes(":") ? recv.userinfo.split(":").slice(1).join(":") : null,
      to_s: recv.source,
    };
    if (name in readers && args.length === 0) return readers[name];
    throw new UnsupportedRuby(name);
  }
  return callValueMethod(recv, name, args);
}

function callConst(path: string, name: string, args: unknown[], ctx: RubyContext): unknown {
  const str = (i: number) => { if (typeof args[i] !== "string") throw new UnsupportedRuby(name); return args[i] as string; };
  switch (`${path}.${name}`) {
    case "ENV.fetch": {
      const value = envGet(ctx, args[0]);
      if (value !== null) return value;
      if (args.length > 1) return args[1];
      throw new ErbKeyError(str(0));
    }
    case "ENV.key?": case "ENV.has_key?": case "ENV.include?": case "ENV.member?": return envGet(ctx, args[0]) !== null;
    case "File.read": {
      const text = ctx.host.readFile(resolve(ctx.cwd, str(0)));
      if (text === undefined) throw new ConfigurationError(`No such file or directory @ rb_sysopen - ${str(0)}`);
      return text;
    }
    case "File.exist?": case "File.file?": return ctx.host.isFile(resolve(ctx.cwd, str(0)));
    case "Dotenv.load": case "Dotenv.load!": case "Dotenv.overload": case "Dotenv.overload!":
      return dotenvLoad(ctx, args.map((_, i) => str(i)), name.startsWith("overload"), name.endsWith("!"));
    case "URI.parse": return new RubyUri(str(0));
    case "Kamal::Utils.docker_arch": {
      const arch = ctx.host.run("docker info --format '{{.Architecture}}'", ctx.cwd, ctx.env).trim();
      return arch === "aarch64" ? "arm64" : arch === "x86_64" ? "amd64" : arch;
    }
  }
  throw new UnsupportedRuby(name);
}

function rubyAdd(a: unknown, b: unknown): unknown {
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === "string") throw new ConfigurationError(`no implicit conversion of ${rubyClass(b)} into String`);
  throw new UnsupportedRuby("+");
}

function rubyClass(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "Float";
  if (typeof value === "boolean") return value ? "true" : "false";
  return Array.isArray(value) ? "Array" : "Object";
}

/** Ruby's `inspect` for the values the interpreter produces (arrays print this way with `to_s`). */
function rubyInspect(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value).replace(/#\{/g, "\\#{");
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(", ")}]`;
  return rubyToS(value);
}

function stringArg(args: unknown[], index: number, name: string): string {
  if (typeof args[index] !== "string") throw new UnsupportedRuby(name);
  return args[index] as string;
}

function callArrayMethod(recv: unknown[], name: string, args: unknown[]): unknown {
  switch (name) {
    case "join": return recv.map(rubyToS).join(args.length ? stringArg(args, 0, name) : "");
    case "first": return recv[0] ?? null;
    case "last": return recv[recv.length - 1] ?? null;
    case "size": case "length": case "count": return recv.length;
    case "empty?": return recv.length === 0;
    case "compact": return recv.filter((item) => item !== null && item !== undefined);
    case "uniq": return [...new Set(recv)];
    case "inspect": case "to_s": return rubyInspect(recv);
  }
  throw new UnsupportedRuby(name);
}

function callValueMethod(recv: unknown, name: string, args: unknown[]): unknown {
  if (Array.isArray(recv)) return callArrayMethod(recv, name, args);
  if (typeof recv === "string") {
    switch (name) {
      case "split": {
        const parts = args.length ? recv.split(stringArg(args, 0, name)) : recv.trim().split(/\s+/);
        while (parts.length && parts[parts.length - 1] === "") parts.pop();
        return parts;
      }
      case "sub": return recv.replace(stringArg(args, 0, name), () => stringArg(args, 1, name));
      case "gsub": return recv.split(stringArg(args, 0, name)).join(stringArg(args, 1, name));
      case "start_with?": return recv.startsWith(stringArg(args, 0, name));
      case "end_with?": return recv.endsWith(stringArg(args, 0, name));
      case "include?": return recv.includes(stringArg(args, 0, name));
    }
  }
  if (args.length > 0) throw new UnsupportedRuby(name);
  if (name === "inspect") return rubyInspect(recv);
  const blank = recv === null || recv === false || (typeof recv === "string" && recv.trim() === "");
  switch (name) {
    case "to_s": return rubyToS(recv);
    case "nil?": return recv === null;
    case "present?": return !blank;
    case "blank?": return blank;
    case "presence": return blank ? null : recv;
    case "to_i": return typeof recv === "number" ? Math.trunc(recv) : recv === null ? 0 : parseInt(String(recv), 10) || 0;
  }
  if (typeof recv !== "string") throw new UnsupportedRuby(name);
  switch (name) {
    case "strip": return recv.replace(/^[\s\0]+|[\s\0]+$/g, "");
    case "lstrip": return recv.replace(/^\s+/, "");
    case "rstrip": return recv.replace(/[\s\0]+$/, "");
    case "chomp": return recv.replace(/(\r\n|\n|\r)$/, "");
    case "upcase": return recv.toUpperCase();
    case "downcase": return recv.toLowerCase();
    case "empty?": return recv.length === 0;
    case "length": case "size": return recv.length;
    case "to_str": return recv;
    case "to_f": return parseFloat(recv) || 0;
  }
  throw new UnsupportedRuby(name);
}

function rubyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof RubyUri || b instanceof RubyUri) return String(a) === String(b) && typeof a === typeof b;
  return a === b || (a === undefined && b === null) || (a === null && b === undefined);
}

/** Dotenv.load: reads the files (default `.env`; missing files are skipped unless `!`), sets unset keys. */
function dotenvLoad(ctx: RubyContext, files: string[], overwrite: boolean, strict: boolean): Record<string, string> {
  const loaded: Record<string, string> = {};
  for (const file of files.length ? files : [".env"]) {
    const text = ctx.host.readFile(resolve(ctx.cwd, file));
    if (text === undefined) {
      if (strict) throw new ConfigurationError(`No such file or directory @ rb_sysopen - ${file}`);
      continue;
    }
    const runCommand = (command: string) => ctx.host.run(command, ctx.cwd, ctx.env).replace(/(\r\n|\n|\r)$/, "");
    for (const [key, value] of Object.entries(parseDotenv(text, { env: ctx.env, runCommand, source: file }))) {
      if (overwrite || ctx.env[key] === undefined) ctx.env[key] = value;
      loaded[key] = ctx.env[key] as string;
    }
  }
  return loaded;
}


export function truthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/** Ruby's `to_s` for the values the interpreter produces. */
export function rubyToS(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return rubyInspect(value);
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  return String(value);
}

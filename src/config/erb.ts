// Renders the ERB that real Kamal configs use, with Ruby's `ERB.new(template, trim_mode: "-")` semantics:
// `<%= expr %>` inserts `expr.to_s`, `<% code %>` runs code, `<%# comment %>` is dropped, `<%%` is a
// literal `<%`, `-%>` swallows the newline after the tag and `<%-` at the start of a line swallows the
// indentation before it.
//
// The Ruby inside the tags is interpreted by a deliberately small interpreter (the second half of this
// file) that knows: string/number/nil/true/false
// literals with "#{...}" interpolation, ENV["X"], ENV.fetch("X"[, default]), ENV.key?, `||`, `&&`, `!`,
// `==`, `!=`, local variables, backticks and %x(...) (run with /bin/sh in the working directory, output
// kept exactly, as Ruby does), File.read / File.exist?, require (no-op), Dotenv.load / overload,
// URI.parse(...).host/.scheme/..., Kamal::Utils.docker_arch, common String methods (strip, chomp, ...),
// and `if / elsif / else / end`, `unless`, `begin / rescue / end` spanning tags.
// Anything else fails with ONE line: `<file>:<line>: unsupported ERB expression <%= ... %> (supported: ...)`.

import { ConfigurationError } from "../errors.ts";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";

export interface ErbOptions {
  /** Name used in error messages, e.g. `config/deploy.yml`. */
  file: string;
  /** The environment ERB reads (ENV). Dotenv.load writes into it, as Ruby's ENV would be changed. */
  env: Record<string, string | undefined>;
  /** Directory that backticks and File.read run in (the project root; Kamal runs from it). */
  cwd: string;
  host?: ErbHost;
}

const SUPPORTED = "supported: ENV[...], ENV.fetch(...), string literals, backticks, File.read, Dotenv.load, URI.parse, if/else/end";

export type Segment =
  | { kind: "text"; text: string }
  | { kind: "output" | "code"; code: string; line: number; raw: string };

/** Splits a template into text and tags, applying trim mode "-". */
export function scanErb(template: string, file: string): Segment[] {
  const segments: Segment[] = [];
  let text = "";
  let i = 0;
  let line = 1;
  const advance = (to: number) => { for (let k = i; k < to; k++) if (template[k] === "\n") line++; i = to; };
  while (i < template.length) {
    const open = template.indexOf("<%", i);
    if (open < 0) { text += template.slice(i); advance(template.length); break; }
    text += template.slice(i, open);
    advance(open);
    if (template[open + 2] === "%") { text += "<%"; advance(open + 3); continue; }
    let kind: "output" | "code" | "comment" = "code";
    let start = open + 2;
    const marker = template[start];
    if (marker === "=") { kind = "output"; start++; }
    else if (marker === "#") { kind = "comment"; start++; }
    else if (marker === "-") {
      start++;
      const lineStart = text.lastIndexOf("\n") + 1;
      if (/^[ \t]*$/.test(text.slice(lineStart))) text = text.slice(0, lineStart);
      if (template[start] === "=") { kind = "output"; start++; }
    }
    const close = template.indexOf("%>", start);
    if (close < 0) throw new ConfigurationError(`${file}:${line}: unterminated ERB tag ${oneLine(template.slice(open, open + 40))}`);
    const trimNewline = template[close - 1] === "-" && close - 1 >= start;
    const code = template.slice(start, trimNewline ? close - 1 : close);
    const raw = template.slice(open, close + 2);
    const tagLine = line;
    let end = close + 2;
    if (trimNewline && template[end] === "\n") end++;
    else if (trimNewline && template.startsWith("\r\n", end)) end += 2;
    advance(end);
    if (text) { segments.push({ kind: "text", text }); text = ""; }
    if (kind !== "comment") segments.push({ kind, code, line: tagLine, raw });
  }
  if (text) segments.push({ kind: "text", text });
  return segments;
}

function oneLine(raw: string): string {
  const flat = raw.replace(/\s+/g, " ").trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

type Op =
  | { kind: "text"; text: string }
  | { kind: "output"; statements: Statement[]; line: number; raw: string }
  | { kind: "stmt"; statement: Statement; line: number; raw: string };

function compile(segments: Segment[], file: string): Op[] {
  const ops: Op[] = [];
  for (const segment of segments) {
    if (segment.kind === "text") { ops.push(segment); continue; }
    let statements: Statement[];
    try {
      statements = parseStatements(segment.code);
    } catch (error) {
      throw located(error, file, segment.line, segment.raw);
    }
    if (segment.kind === "output") ops.push({ kind: "output", statements, line: segment.line, raw: segment.raw });
    else for (const statement of statements) ops.push({ kind: "stmt", statement, line: segment.line, raw: segment.raw });
  }
  return ops;
}

function located(error: unknown, file: string, line: number, raw: string): Error {
  if (error instanceof UnsupportedRuby) {
    return new ConfigurationError(`${file}:${line}: unsupported ERB expression ${oneLine(raw)} (${SUPPORTED})`);
  }
  if (error instanceof ConfigurationError && !error.message.startsWith(`${file}:`) && error.name !== "ErbKeyError") {
    return new ConfigurationError(`${file}:${line}: ${error.message}`);
  }
  return error instanceof Error ? error : new ConfigurationError(String(error));
}

interface Block { kind: "if" | "begin"; active: boolean; parentActive: boolean; taken: boolean }

/** Renders an ERB template to text. */
export function renderErb(template: string, options: ErbOptions): string {
  const ops = compile(scanErb(template, options.file), options.file);
  const context: RubyContext = { env: options.env, cwd: options.cwd, host: options.host ?? defaultErbHost, locals: new Map() };
  const stack: Block[] = [];
  const active = () => stack.length === 0 || stack[stack.length - 1].active;
  let out = "";
  for (const op of ops) {
    if (op.kind === "text") { if (active()) out += op.text; continue; }
    try {
      if (op.kind === "output") {
        if (!active()) continue;
        let value: unknown = null;
        for (const statement of op.statements) value = evaluateStatement(statement, context);
        out += rubyToS(value);
        continue;
      }
      const statement = op.statement;
      switch (statement.kind) {
        case "if": case "unless": {
          const parentActive = active();
          const cond = parentActive && truthy(evaluateStatement(statement, context)) !== (statement.kind === "unless");
          stack.push({ kind: "if", active: cond, parentActive, taken: cond });
          break;
        }
        case "elsif": case "else": {
          const block = stack[stack.length - 1];
          if (!block || block.kind !== "if") throw new UnsupportedRuby(statement.kind);
          const cond = block.parentActive && !block.taken &&
            (statement.kind === "else" || truthy(evaluateStatement(statement, context)));
          block.active = cond;
          block.taken ||= cond;
          break;
        }
        case "begin": stack.push({ kind: "begin", active: active(), parentActive: active(), taken: true }); break;
        case "rescue": {
          const block = stack[stack.length - 1];
          if (!block || block.kind !== "begin") throw new UnsupportedRuby("rescue");
          block.active = false; // nothing this interpreter runs raises a rescuable Ruby exception
          break;
        }
        case "end":
          if (!stack.pop()) throw new UnsupportedRuby("end");
          break;
        default:
          if (active()) evaluateStatement(statement, context);
      }
    } catch (error) {
      throw located(error, options.file, op.line, op.raw);
    }
  }
  if (stack.length > 0) throw new ConfigurationError(`${options.file}: ERB block not closed (missing <% end %>)`);
  return out;
}

export function truthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false;
}

/** Ruby's `to_s` for the values the interpreter produces. */
export function rubyToS(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  return String(value);
}

// ---------------------------------------------------------------------------------------------------
// The small Ruby interpreter.

/** Raised for Ruby this interpreter does not know; renderErb turns it into the one-line error. */
export class UnsupportedRuby extends Error {}

/** Ruby's KeyError from `ENV.fetch("X")`; Kamal prints `ERROR (KeyError): key not found: "X"`. */
export class ErbKeyError extends ConfigurationError {
  constructor(key: string) {
    super(`key not found: ${JSON.stringify(key)}`);
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

interface RubyContext { env: Record<string, string | undefined>; cwd: string; host: ErbHost; locals: Map<string, unknown> }

type Expr =
  | { k: "lit"; v: unknown }
  | { k: "str" | "cmd"; parts: (string | Expr)[] }
  | { k: "var"; name: string }
  | { k: "const"; path: string }
  | { k: "call"; recv: Expr | null; name: string; args: Expr[] }
  | { k: "index"; recv: Expr; arg: Expr }
  | { k: "or" | "and" | "eq" | "ne"; a: Expr; b: Expr }
  | { k: "not"; a: Expr };

type Statement =
  | { kind: "if" | "unless" | "elsif"; expr: Expr }
  | { kind: "else" | "end" | "begin" | "rescue" }
  | { kind: "expr"; expr: Expr }
  | { kind: "assign"; name: string; expr: Expr };

type Tok =
  | { t: "str" | "cmd"; parts: (string | Expr)[] }
  | { t: "num" | "id" | "const" | "op"; v: string }
  | { t: "nl" };

const CLOSERS: Record<string, string> = { "(": ")", "{": "}", "[": "]", "<": ">", "|": "|", "!": "!" };

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "\n" || c === ";") { if (depth === 0) toks.push({ t: "nl" }); i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === "#") { while (i < src.length && src[i] !== "\n") i++; continue; }
    if (c === '"' || c === "`") { const [parts, end] = lexQuoted(src, i + 1, c, true); toks.push({ t: c === "`" ? "cmd" : "str", parts }); i = end; continue; }
    if (c === "'") { const [parts, end] = lexQuoted(src, i + 1, "'", false); toks.push({ t: "str", parts }); i = end; continue; }
    if (c === "%" && /[xqQ]/.test(src[i + 1] ?? "") && CLOSERS[src[i + 2]]) {
      const kind = src[i + 1];
      const [parts, end] = lexQuoted(src, i + 3, CLOSERS[src[i + 2]], kind !== "q", src[i + 2]);
      toks.push({ t: kind === "x" ? "cmd" : "str", parts }); i = end; continue;
    }
    const num = /^\d[\d_]*(\.\d+)?/.exec(src.slice(i));
    if (num) { toks.push({ t: "num", v: num[0].replace(/_/g, "") }); i += num[0].length; continue; }
    const word = /^[A-Za-z_]\w*(::[A-Z]\w*)*[?!]?/.exec(src.slice(i));
    if (word) { toks.push({ t: /^[A-Z]/.test(word[0]) ? "const" : "id", v: word[0] }); i += word[0].length; continue; }
    const op = /^(\|\||&&|==|!=|=~|[()[\],.=!{}|&+<>:])/.exec(src.slice(i));
    if (!op) throw new UnsupportedRuby(c);
    if ("([{".includes(op[0])) depth++;
    if (")]}".includes(op[0])) depth--;
    toks.push({ t: "op", v: op[0] });
    i += op[0].length;
  }
  return toks;
}

function lexQuoted(src: string, start: number, close: string, interpolate: boolean, open?: string): [(string | Expr)[], number] {
  const parts: (string | Expr)[] = [];
  let buf = "";
  let nest = 0;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1] ?? "";
      if (!interpolate) buf += n === close || n === "\\" ? n : `\\${n}`;
      else buf += ({ n: "\n", t: "\t", s: " ", e: "\x1b", "0": "\0", r: "\r" } as Record<string, string>)[n] ?? n;
      i += 2; continue;
    }
    if (open && open !== close && c === open) nest++;
    if (c === close) { if (nest === 0) { if (buf) parts.push(buf); return [parts, i + 1]; } nest--; }
    if (interpolate && c === "#" && src[i + 1] === "{") {
      let depth = 1;
      let j = i + 2;
      while (j < src.length && depth > 0) { if (src[j] === "{") depth++; else if (src[j] === "}") depth--; j++; }
      if (buf) { parts.push(buf); buf = ""; }
      parts.push(parseExpressionSource(src.slice(i + 2, j - 1)));
      i = j; continue;
    }
    buf += c; i++;
  }
  throw new UnsupportedRuby("unterminated string");
}

function parseExpressionSource(src: string): Expr {
  const statements = parseStatements(src);
  if (statements.length !== 1 || statements[0].kind !== "expr") throw new UnsupportedRuby(src);
  return statements[0].expr;
}

const CONTINUES = new Set(["||", "&&", "==", "!=", "=", ",", ".", "(", "["]);

/** Parses the code of one tag into statements. */
function parseStatements(src: string): Statement[] {
  const toks = lex(src);
  const statements: Statement[] = [];
  let current: Tok[] = [];
  const flush = () => { if (current.length) statements.push(parseStatement(current)); current = []; };
  for (const tok of toks) {
    if (tok.t === "nl") {
      const last = current[current.length - 1];
      if (last && last.t === "op" && CONTINUES.has(last.v)) continue;
      flush();
    } else current.push(tok);
  }
  flush();
  return statements;
}

function parseStatement(toks: Tok[]): Statement {
  const first = toks[0];
  if (first.t === "id") {
    if (["else", "end", "begin"].includes(first.v) && toks.length === 1) return { kind: first.v as "else" | "end" | "begin" };
    if (first.v === "rescue") return { kind: "rescue" };
    if (["if", "unless", "elsif"].includes(first.v)) {
      const rest = toks[toks.length - 1].t === "id" && (toks[toks.length - 1] as { v: string }).v === "then" ? toks.slice(1, -1) : toks.slice(1);
      return { kind: first.v as "if" | "unless" | "elsif", expr: parseAll(rest) };
    }
    const second = toks[1];
    if (second && second.t === "op" && second.v === "=") return { kind: "assign", name: first.v, expr: parseAll(toks.slice(2)) };
  }
  return { kind: "expr", expr: parseAll(toks) };
}

function parseAll(toks: Tok[]): Expr {
  const parser = new ExprParser(toks);
  const expr = parser.expression();
  if (!parser.done()) throw new UnsupportedRuby("trailing tokens");
  return expr;
}

class ExprParser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}
  done(): boolean { return this.pos >= this.toks.length; }
  private peekOp(v: string): boolean { const t = this.toks[this.pos]; return !!t && t.t === "op" && t.v === v; }
  private take(v: string): void { if (!this.peekOp(v)) throw new UnsupportedRuby(`expected ${v}`); this.pos++; }

  expression(): Expr {
    let left = this.and();
    while (this.peekOp("||")) { this.pos++; left = { k: "or", a: left, b: this.and() }; }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.peekOp("&&")) { this.pos++; left = { k: "and", a: left, b: this.not() }; }
    return left;
  }
  private not(): Expr {
    if (this.peekOp("!")) { this.pos++; return { k: "not", a: this.not() }; }
    const left = this.postfix();
    if (this.peekOp("==") || this.peekOp("!=")) {
      const op = (this.toks[this.pos++] as { v: string }).v;
      return { k: op === "==" ? "eq" : "ne", a: left, b: this.postfix() };
    }
    return left;
  }
  private postfix(): Expr {
    let expr = this.primary();
    for (;;) {
      if (this.peekOp(".")) {
        this.pos++;
        const name = this.toks[this.pos++];
        if (!name || name.t !== "id") throw new UnsupportedRuby("method name");
        expr = { k: "call", recv: expr, name: name.v, args: this.args() };
      } else if (this.peekOp("[")) {
        this.pos++;
        const arg = this.expression();
        this.take("]");
        expr = { k: "index", recv: expr, arg };
      } else return expr;
    }
  }
  /** `(a, b)` or a bare literal argument (`require "x"`); none otherwise. */
  private args(): Expr[] {
    const next = this.toks[this.pos];
    if (next && (next.t === "str" || next.t === "num")) return [this.expression()];
    if (!this.peekOp("(")) return [];
    this.pos++;
    const args: Expr[] = [];
    while (!this.peekOp(")")) {
      args.push(this.expression());
      if (!this.peekOp(")")) this.take(",");
    }
    this.pos++;
    return args;
  }
  private primary(): Expr {
    const tok = this.toks[this.pos++];
    if (!tok || tok.t === "nl") throw new UnsupportedRuby("expression expected");
    switch (tok.t) {
      case "str": return { k: "str", parts: tok.parts };
      case "cmd": return { k: "cmd", parts: tok.parts };
      case "num": return { k: "lit", v: Number(tok.v) };
      case "const": return { k: "const", path: tok.v };
      case "id":
        if (tok.v === "nil") return { k: "lit", v: null };
        if (tok.v === "true" || tok.v === "false") return { k: "lit", v: tok.v === "true" };
        if (this.peekOp("(") || this.toks[this.pos]?.t === "str") return { k: "call", recv: null, name: tok.v, args: this.args() };
        return { k: "var", name: tok.v };
      case "op":
        if (tok.v === "(") { const inner = this.expression(); this.take(")"); return inner; }
    }
    throw new UnsupportedRuby("unexpected token");
  }
}

function evaluateStatement(statement: Statement, ctx: RubyContext): unknown {
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
    case "call": {
      const args = expr.args.map((a) => evaluate(a, ctx));
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

function callValueMethod(recv: unknown, name: string, args: unknown[]): unknown {
  if (args.length > 0) throw new UnsupportedRuby(name);
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
    for (const [key, value] of Object.entries(parseDotenv(text, ctx.env))) {
      if (overwrite || ctx.env[key] === undefined) ctx.env[key] = value;
      loaded[key] = ctx.env[key] as string;
    }
  }
  return loaded;
}

const DOTENV_LINE = /^\s*(?:export\s+)?([\w.]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/gm;

/** A dotenv file's KEY=value pairs: quotes, `\n` in double quotes, `$VAR`/`${VAR}` expansion (no `$(...)`). */
export function parseDotenv(text: string, env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  const expand = (value: string) => value.replace(/(\\)?\$(?:\{(\w+)\}|(\w+))/g, (whole, escaped, braced, bare) => {
    if (escaped) return whole.slice(1);
    const name = braced ?? bare;
    return env[name] ?? result[name] ?? "";
  });
  for (const match of text.replace(/\r\n?/g, "\n").matchAll(DOTENV_LINE)) {
    const key = match[1];
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    if ((quote === "'" || quote === '"' || quote === "`") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = expand(value.replace(/\\n/g, "\n").replace(/\\r/g, "\r").replace(/\\([^$])/g, "$1"));
    } else value = expand(value);
    result[key] = value;
  }
  return result;
}

// Renders the ERB that real Kamal configs use, with Ruby's `ERB.new(template, trim_mode: "-")` semantics:
// `<%= expr %>` inserts `expr.to_s`, `<% code %>` runs code, `<%# comment %>` is dropped, `<%%` is a
// literal `<%`, `-%>` swallows the newline after the tag and `<%-` at the start of a line swallows the
// indentation before it.
//
// The Ruby inside the tags is interpreted by a deliberately small interpreter (erb-parser.ts parses,
// erb-runtime.ts evaluates) that knows: string/number/nil/true/false literals with "#{...}" interpolation,
// ENV["X"], ENV.fetch("X"[, default]) / ENV.fetch("X") { default } (missing: Ruby's KeyError), ENV.key?,
// `||`, `&&`, `!`, `==`, `!=`, `+`, `a ? b : c`, local variables, backticks and %x(...) (run with /bin/sh
// in the project directory, output kept exactly, as Ruby does), File.read / File.exist?, require (no-op;
// "dotenv/load" loads .env), Dotenv.load / overload, URI.parse(...).host/.scheme/..., Kamal::Utils.docker_arch,
// common String and Array methods (strip, chomp, split, join, presence, ...), and `if / elsif / else / end`,
// `unless`, `begin / rescue / end` spanning tags. Ruby's `to_s` is used for output (arrays print as
// `["a", "b"]`, which YAML reads as a list, as with Ruby).
// Anything else fails with ONE line: `<file>:<line>: unsupported ERB expression <%= ... %> (supported: ...)`.

import { ConfigurationError } from "../errors.ts";
import { parseStatements, UnsupportedRuby, type Statement } from "./erb-parser.ts";
import { defaultErbHost, ErbKeyError, evaluateStatement, rubyToS, truthy, type ErbHost, type RubyContext } from "./erb-runtime.ts";

export { ErbKeyError, defaultErbHost, type ErbHost } from "./erb-runtime.ts";

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
  if (error instanceof ErbKeyError) return error.where ? error : new ErbKeyError(error.key, `${file}:${line}`);
  if (error instanceof ConfigurationError && !error.message.startsWith(`${file}:`)) {
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

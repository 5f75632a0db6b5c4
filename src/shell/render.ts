// The ONE place that turns data into shell text. Every value is POSIX single-quoted unless it
// consists only of characters that are safe unquoted.
import type { Arg, Cmd } from "./cmd.ts";

export interface RenderOptions {
  /** Show secrets as [REDACTED] (for logs and errors). Default false: render for execution. */
  redact?: boolean;
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one word for a POSIX shell. */
export function quote(word: string): string {
  if (word === "") return "''";
  if (SAFE.test(word)) return word;
  return "'" + word.replace(/'/g, `'\\''`) + "'";
}

function renderArg(arg: Arg, opts: RenderOptions): string {
  if (typeof arg === "string") return quote(arg);
  if ("secret" in arg) return opts.redact ? "[REDACTED]" : quote(arg.secret);
  if ("raw" in arg) return arg.raw;
  if ("subst" in arg) return "$(" + renderCmd(arg.subst, opts) + ")";
  return arg.concat.map((a) => renderArg(a, opts)).join("");
}

// Words the shell would read as something else than a command name when they come first.
const RESERVED = new Set(["!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then", "until", "while"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function renderCommandName(arg: Arg, opts: RenderOptions): string {
  if (typeof arg === "string" && (RESERVED.has(arg) || ASSIGNMENT.test(arg))) return "'" + arg.replace(/'/g, `'\\''`) + "'";
  return renderArg(arg, opts);
}

/** Render a sub-command, wrapped in { ...; } when the operator around it binds more tightly than its own. */
function renderGrouped(c: Cmd, opts: RenderOptions, needsGroup: (c: Cmd) => boolean): string {
  const text = renderCmd(c, opts);
  return needsGroup(c) ? "{ " + text + "; }" : text;
}

export function renderCmd(c: Cmd, opts: RenderOptions = {}): string {
  switch (c.kind) {
    case "argv":
      return c.args.map((a, i) => (i === 0 ? renderCommandName(a, opts) : renderArg(a, opts))).join(" ");
    case "pipe":
      return c.cmds.map((x) => renderGrouped(x, opts, (y) => y.kind === "chain")).join(" | ");
    case "chain":
      // && and || have equal precedence and group left to right; ; is weaker: nest anything else in braces.
      return c.cmds
        .map((x) => renderGrouped(x, opts, (y) => y.kind === "chain" && !(y.op === c.op || (c.op === ";" && y.op !== ";"))))
        .join(` ${c.op} `);
    case "redirect": {
      const target = renderArg(c.target, opts);
      const sep = c.op.endsWith("&") ? "" : " ";
      const inner = renderGrouped(c.cmd, opts, (y) => y.kind === "chain" || y.kind === "pipe");
      return `${inner} ${c.op}${sep}${target}`;
    }
    case "sh":
      return "sh -c " + quote(renderCmd(c.cmd, opts));
    case "group":
      return "{ " + renderCmd(c.cmd, opts) + "; }";
  }
}

/** For display: secrets redacted. */
export const displayCmd = (c: Cmd): string => renderCmd(c, { redact: true });

/** Every secret value inside a command (so output of that command can be scrubbed too). */
export function secretsOf(c: Cmd): string[] {
  const out: string[] = [];
  const visitArg = (a: Arg): void => {
    if (typeof a === "string") return;
    if ("secret" in a) out.push(a.secret);
    else if ("subst" in a) visit(a.subst);
    else if ("concat" in a) a.concat.forEach(visitArg);
  };
  const visit = (x: Cmd): void => {
    switch (x.kind) {
      case "argv": x.args.forEach(visitArg); break;
      case "pipe": case "chain": x.cmds.forEach(visit); break;
      case "redirect": visit(x.cmd); visitArg(x.target); break;
      case "sh": case "group": visit(x.cmd); break;
    }
  };
  visit(c);
  return out;
}

// The Cmd type: a shell command as data. Build commands with these constructors and
// turn them into a shell line only with renderCmd (src/shell/render.ts).

/** A value that must never be printed: rendered in full for execution, as [REDACTED] for display. */
export interface SecretArg { readonly secret: string }
/** A trusted shell fragment written by this code base (never user input), e.g. "$PWD" or "2>/dev/null". */
export interface RawArg { readonly raw: string }
/** Command substitution: $(cmd) */
export interface SubstArg { readonly subst: Cmd }
/** Several pieces glued into one word, e.g. concat(raw("$PWD"), "/.kamal/x:/y"). */
export interface ConcatArg { readonly concat: readonly Arg[] }

export type Arg = string | SecretArg | RawArg | SubstArg | ConcatArg;

export type Cmd =
  | { readonly kind: "argv"; readonly args: readonly Arg[] }
  | { readonly kind: "pipe"; readonly cmds: readonly Cmd[] }
  | { readonly kind: "chain"; readonly op: "&&" | "||" | ";"; readonly cmds: readonly Cmd[] }
  | { readonly kind: "redirect"; readonly cmd: Cmd; readonly op: RedirectOp; readonly target: Arg }
  | { readonly kind: "sh"; readonly cmd: Cmd }
  | { readonly kind: "group"; readonly cmd: Cmd };

export type RedirectOp = ">" | ">>" | "<" | "2>" | "2>>" | ">&" | "2>&";

export const secret = (value: string): SecretArg => ({ secret: value });
export const raw = (text: string): RawArg => ({ raw: text });
export const subst = (cmd: Cmd): SubstArg => ({ subst: cmd });
export const concat = (...parts: Arg[]): ConcatArg => ({ concat: parts });

/** A plain command: cmd("docker", "ps", "-q"). Empty/undefined/false args are dropped so optional flags read naturally. */
export function cmd(...args: (Arg | Arg[] | undefined | null | false)[]): Cmd {
  const flat: Arg[] = [];
  for (const a of args) {
    if (a === undefined || a === null || a === false) continue;
    if (Array.isArray(a)) flat.push(...a);
    else flat.push(a);
  }
  return { kind: "argv", args: flat };
}

export const pipe = (...cmds: Cmd[]): Cmd => ({ kind: "pipe", cmds });
export const and = (...cmds: Cmd[]): Cmd => ({ kind: "chain", op: "&&", cmds });
export const or = (...cmds: Cmd[]): Cmd => ({ kind: "chain", op: "||", cmds });
export const seq = (...cmds: Cmd[]): Cmd => ({ kind: "chain", op: ";", cmds });
export const redirect = (c: Cmd, op: RedirectOp, target: Arg): Cmd => ({ kind: "redirect", cmd: c, op, target });
/** sh -c '<rendered cmd>' */
export const sh = (c: Cmd): Cmd => ({ kind: "sh", cmd: c });
/** { cmd; } grouping so a chain can be piped or redirected as one */
export const group = (c: Cmd): Cmd => ({ kind: "group", cmd: c });

/** docker(...) is cmd("docker", ...) */
export const docker = (...args: (Arg | Arg[] | undefined | null | false)[]): Cmd => cmd("docker", ...args);

// The two substitutions applied to unquoted and double-quoted dotenv values (dotenv 3.x semantics, with
// Kamal's command substitution): `$NAME` / `${NAME}` variables, then `$(command)` commands.
//
// Order: variables first, then commands. dotenv 3.1 used this order; dotenv 3.2 swapped it, which makes
// a `$word` inside a command's OUTPUT (a password from a vault) vanish (basecamp/kamal PR #1911). We keep
// 3.1's order: command output is inserted literally, as in a POSIX shell.

export type Lookup = (name: string) => string | undefined;

/** `(\\)?(\$)(?!\()\{?([A-Z0-9_]+)?\}?` with the `i` flag: dotenv's variable pattern. */
const VARIABLE = /(\\)?(\$)(?!\()\{?([A-Z0-9_]+)?\}?/gi;

/** Replace `$NAME` and `${NAME}` using `lookup` (unknown names become ""); `\$NAME` loses only its backslash. */
export function substituteVariables(value: string, lookup: Lookup): string {
  return value.replace(VARIABLE, (whole: string, backslash: string | undefined, _dollar: string, name: string | undefined) => {
    if (backslash === "\\") return whole.slice(1);
    if (name !== undefined) return lookup(name) ?? "";
    return whole;
  });
}

/** A `$(...)` found in a value: where it starts/ends, whether it was escaped, and the command text. */
export interface CommandMatch {
  start: number;
  end: number;
  escaped: boolean;
  command: string;
}

/**
 * Length of a balanced `( ... )` group starting at `open` (which must be "("), or -1.
 * Mirrors `\((?:\\.|[^()\\]|\g<cmd>)+\)`: backslash-escaped characters (including `\(` and `\)`) never
 * open or close a group, nested groups must balance, and every group holds at least one element.
 */
function groupLength(text: string, open: number): number {
  let i = open + 1;
  let elements = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ")") return elements > 0 ? i + 1 - open : -1;
    if (ch === "\\") {
      if (i + 1 >= text.length || text[i + 1] === "\n") return -1;
      i += 2;
    } else if (ch === "(") {
      const inner = groupLength(text, i);
      if (inner < 0) return -1;
      i += inner;
    } else {
      i += 1;
    }
    elements++;
  }
  return -1;
}

/** Every `$(...)` in `text`, left to right, non-overlapping (like Ruby's gsub scanning). */
export function findCommands(text: string): CommandMatch[] {
  const found: CommandMatch[] = [];
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$(", i);
    if (dollar < 0) break;
    const len = groupLength(text, dollar + 1);
    if (len < 0) {
      i = dollar + 1;
      continue;
    }
    const escaped = dollar > 0 && text[dollar - 1] === "\\" && dollar - 1 >= i;
    const start = escaped ? dollar - 1 : dollar;
    const end = dollar + 1 + len;
    found.push({ start, end, escaped, command: text.slice(dollar + 2, end - 1) });
    i = end;
  }
  return found;
}

/**
 * Replace every `$(command)` by the output of `run(command)` (the caller chomps and decides how to run it).
 * `\$(command)` stays literal minus the backslash. Variables inside a command are substituted again with
 * `innerLookup` first (Kamal: the process ENV wins there).
 */
export function substituteCommands(value: string, innerLookup: Lookup, run: (command: string) => string): string {
  const matches = findCommands(value);
  if (matches.length === 0) return value;
  let out = "";
  let last = 0;
  for (const m of matches) {
    out += value.slice(last, m.start);
    out += m.escaped ? value.slice(m.start + 1, m.end) : run(substituteVariables(m.command, innerLookup));
    last = m.end;
  }
  return out + value.slice(last);
}

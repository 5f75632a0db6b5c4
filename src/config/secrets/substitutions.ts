// The two substitutions applied to unquoted and double-quoted dotenv values (dotenv 3.x syntax, with
// Kamal's command substitution): `$NAME` / `${NAME}` variables and `$(command)` commands.
//
// Both are done in ONE left-to-right pass over the value, and substituted text is never scanned again,
// as in a POSIX shell. dotenv runs two passes instead, and each order has a trap: 3.1 (variables first)
// runs a `$(...)` found inside a variable's value; 3.2 (commands first) drops every `$word` from a
// command's output, i.e. from vault passwords (basecamp/kamal PR #1911). One pass has neither.

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

export interface Substitution {
  /** Variables in the value (dotenv `overwrite: true`: the file's earlier keys win over the ENV). */
  lookup: Lookup;
  /** Variables inside a command (Kamal: the process ENV wins there). */
  innerLookup: Lookup;
  /** Run one command and return its output (the caller chomps and decides how to run it). */
  run: (command: string) => string;
}

const VARIABLE_AT = /(\\)?(\$)(?!\()\{?([A-Z0-9_]+)?\}?/iy;

/**
 * Replace `$NAME`, `${NAME}` and `$(command)` in one pass. `\$NAME` and `\$(command)` stay literal minus
 * the backslash; unknown variables become ""; unbalanced `$(` stays as it is.
 */
export function substitute(value: string, how: Substitution): string {
  let out = "";
  let i = 0;
  while (i < value.length) {
    const dollar = value.indexOf("$", i);
    if (dollar < 0) break;
    const escaped = dollar > i && value[dollar - 1] === "\\";
    const start = escaped ? dollar - 1 : dollar;
    if (value[dollar + 1] === "(") {
      const len = groupLength(value, dollar + 1);
      if (len < 0) {
        out += value.slice(i, dollar + 1);
        i = dollar + 1;
        continue;
      }
      const end = dollar + 1 + len;
      const command = value.slice(dollar + 2, end - 1);
      out += value.slice(i, start) + (escaped ? value.slice(dollar, end) : how.run(substituteVariables(command, how.innerLookup)));
      i = end;
      continue;
    }
    VARIABLE_AT.lastIndex = start;
    const m = VARIABLE_AT.exec(value)!;
    const [whole, backslash, , name] = m;
    out += value.slice(i, start);
    if (backslash === "\\") out += whole.slice(1);
    else if (name !== undefined) out += how.lookup(name) ?? "";
    else out += whole;
    i = start + whole.length;
  }
  return out + value.slice(i);
}

// Ruby's Shellwords, which `$(kamal secrets ...)` round-trips through: `fetch --inline` shell-escapes its
// JSON, the value is substituted into `$(kamal secrets extract NAME $SECRETS)`, and that line is split
// back into words. Used only for that in-process round trip, never to build commands for a shell.
import { ArgumentError } from "../../errors.ts";

/** Ruby's String#shellescape: backslash before every character outside [A-Za-z0-9_\-.,:+/@\n]. */
export function shellescape(text: string): string {
  if (text === "") return "''";
  return text.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, "\\$&").replace(/\n/g, "'\n'");
}

// One token: an unquoted run, a 'single' or "double" quoted string, a backslash escape, or garbage;
// then an optional separator.
const TOKEN = /\s*(?:([^\s\\'"]+)|'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"|(\\[\s\S]?)|(\S))(\s|$)?/y;

/** Ruby's String#shellsplit. */
export function shellsplit(line: string): string[] {
  const words: string[] = [];
  let field = "";
  const re = new RegExp(TOKEN.source, "y");
  let pos = 0;
  while (pos < line.length) {
    re.lastIndex = pos;
    const m = re.exec(line);
    if (!m) break;
    const [whole, word, sq, dq, esc, garbage, sep] = m;
    if (garbage !== undefined) throw new ArgumentError(`Unmatched quote: ${JSON.stringify(line)}`);
    if (word !== undefined) field += word;
    else if (sq !== undefined) field += sq;
    else if (dq !== undefined) field += dq.replace(/\\([$`"\\\n])/g, "$1");
    else if (esc !== undefined) field += esc.replace(/\\([\s\S])/g, "$1");
    // JS drops an empty optional capture, so "separator or end of line" is checked by position.
    if (sep !== undefined || pos + whole.length === line.length) {
      words.push(field);
      field = "";
    }
    pos += whole.length;
  }
  return words;
}

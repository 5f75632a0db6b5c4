// Ruby's Shellwords (split and escape), the one copy: `aliases:` in deploy.yml are split with it, `--grep-options`
// becomes argv words with it, and `$(kamal secrets ...)` round-trips JSON through escape and split. Splitting
// follows Ruby's regexp exactly: blanks are Ruby's \s ([ \t\n\v\f\r], not NBSP); a backslash outside quotes
// escapes the next character except a newline (kept with its backslash); inside "..." only \$ \` \" \\ and
// backslash-newline lose the backslash. Tested against Ruby's own Shellwords (test/shell/shellwords.test.ts).
import { ArgumentError } from "../errors.ts";

/** Ruby's String#shellescape: backslash before every character outside [A-Za-z0-9_\-.,:+/@\n]. */
export function shellescape(text: string): string {
  if (text === "") return "''";
  return text.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, "\\$&").replace(/\n/g, "'\n'");
}

const BLANK = " \\t\\n\\v\\f\\r";
// One token: an unquoted run, a 'single' or "double" quoted string, a backslash escape, or garbage (a lone quote);
// then an optional separator.
const TOKEN = new RegExp(
  `[${BLANK}]*(?:([^${BLANK}\\\\'"]+)|'([^']*)'|"((?:[^"\\\\]|\\\\[\\s\\S])*)"|(\\\\[\\s\\S]?)|([^${BLANK}]))([${BLANK}])?`,
  "y",
);
const ONLY_BLANKS = new RegExp(`^[${BLANK}]*$`);

/** Ruby's String#shellsplit. Throws ArgumentError `Unmatched quote: "<line>"`. */
export function shellsplit(line: string): string[] {
  const words: string[] = [];
  let field = "";
  const re = new RegExp(TOKEN.source, "y");
  let pos = 0;
  while (pos < line.length && !ONLY_BLANKS.test(line.slice(pos))) {
    re.lastIndex = pos;
    const m = re.exec(line)!;
    const [whole, word, sq, dq, esc, garbage, sep] = m;
    if (garbage !== undefined) throw new ArgumentError(`Unmatched quote: ${JSON.stringify(line)}`);
    if (word !== undefined) field += word;
    else if (sq !== undefined) field += sq;
    else if (dq !== undefined) field += dq.replace(/\\([$`"\\\n])/g, "$1");
    else if (esc !== undefined) field += esc.replace(/\\([^\n])/g, "$1");
    pos += whole.length;
    // Ruby's (\s|\z)? also ends the word at the end of the line.
    if (sep !== undefined || pos === line.length) {
      words.push(field);
      field = "";
    }
  }
  return words;
}

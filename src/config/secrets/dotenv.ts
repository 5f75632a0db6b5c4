// Parse a dotenv file the way Ruby's dotenv 3.x does (`Dotenv.parse(file, overwrite: true)`), with Kamal's
// `$(...)` command substitution. Pure except for `runCommand`, which the caller supplies.
import { KamalError } from "../../errors.ts";
import { substitute } from "./substitutions.ts";

export class DotenvFormatError extends KamalError {
  constructor(message: string) { super(message, "Dotenv::FormatError"); }
}

export interface DotenvOptions {
  /** The process environment: variable fallback, and `DOTENV_LINEBREAK_MODE`. */
  env: Record<string, string | undefined>;
  /** Run one `$(command)` (after its variables were substituted) and return its stdout, chomped. */
  runCommand: (command: string) => string;
  /** Where the text came from, for error messages. */
  source?: string;
}

// Ruby's \s is [ \t\r\n\f\v]; JS's is wider, so spell it out. Ruby's ^ and $ are line anchors matching only at \n.
const S = "[ \\t\\r\\n\\f\\v]";
const LINE = new RegExp(
  "(?:(?<=\\n)|^)" +                         // beginning of a line
  `${S}*` +                                  // leading whitespace
  `(?<export>export${S}+)?` +                // optional `export `
  "(?<key>[\\w.]+)" +                        // key
  "(?:" +                                    // optional separator and value
    `(?:${S}*=${S}*?|:${S}+?)` +             //   `=` or `: `
    "(?<value>" +
      `${S}*'(?:\\\\'|[^'])*'` +             //   single quoted (may span lines)
      "|" +
      `${S}*"(?:\\\\"|[^"])*"` +             //   double quoted (may span lines)
      "|" +
      "[^#\\n]+" +                           //   unquoted, up to a comment
    ")?" +
  ")?" +
  `${S}*` +                                  // trailing whitespace
  "(?:#[^\\n]*)?" +                          // optional comment
  "(?:(?=\\n)|$)",                           // end of line
  "g",
);

const QUOTED_STRING = /^(['"])([\s\S]*)\1$/;
const RUBY_STRIP = /^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g;

/** Parse dotenv text. Later keys override earlier ones; substitutions see the keys parsed so far. */
export function parseDotenv(text: string, options: DotenvOptions): Record<string, string> {
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const values: Record<string, string> = {};
  for (const match of normalized.matchAll(LINE)) {
    const groups = match.groups ?? {};
    const key = groups.key!;
    const value = groups.value;
    if (groups.export !== undefined && value === undefined) {
      if (!Object.hasOwn(values, key)) {
        const where = options.source ? ` in ${options.source}` : "";
        throw new DotenvFormatError(`Line ${JSON.stringify(match[0])} has an unset variable${where}`);
      }
      continue;
    }
    values[key] = parseValue(value ?? "", values, options);
  }
  return values;
}

function parseValue(raw: string, parsed: Record<string, string>, options: DotenvOptions): string {
  let value = raw.replace(RUBY_STRIP, "");
  const quoted = QUOTED_STRING.exec(value);
  const quote = quoted?.[1];
  if (quoted) value = quoted[2]!;

  if (quote === '"') value = expandNewlines(value, parsed, options.env);
  if (quote === "'") return value;

  value = value.replace(/\\([^$])/g, "$1");
  // Variables: values from this file win over the process ENV (dotenv `overwrite: true`).
  const fileFirst = (name: string): string | undefined => (Object.hasOwn(parsed, name) ? parsed[name] : options.env[name]);
  // Inside a command Kamal looks variables up with the ENV winning.
  const envFirst = (name: string): string | undefined => options.env[name] ?? (Object.hasOwn(parsed, name) ? parsed[name] : undefined);
  return substitute(value, { lookup: fileFirst, innerLookup: envFirst, run: options.runCommand });
}

/** dotenv 3: `\n`/`\r` in double quotes stay literal unless DOTENV_LINEBREAK_MODE=legacy. */
function expandNewlines(value: string, parsed: Record<string, string>, env: Record<string, string | undefined>): string {
  const mode = parsed.DOTENV_LINEBREAK_MODE ?? env.DOTENV_LINEBREAK_MODE;
  if (mode === "legacy") return value.replaceAll("\\n", "\n").replaceAll("\\r", "\r");
  return value.replaceAll("\\n", "\\\\n").replaceAll("\\r", "\\\\r");
}

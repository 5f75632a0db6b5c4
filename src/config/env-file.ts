// The secret env file uploaded for a role or accessory (lib/kamal/env_file.rb): `KEY=value` lines, each ASCII
// run escaped like Ruby's String#dump without the surrounding quotes, then `\"` -> `"` and `\#` -> `#`.
// Docker reads these files literally, so a newline arrives as the two characters `\n`, exactly as with Kamal.

const DUMP_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\v": "\\v", "\b": "\\b", "\x07": "\\a", "\x1b": "\\e",
};

/** Ruby `String#dump` of an ASCII-only string, without the surrounding quotes. */
export function rubyDumpAsciiInner(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    const next = text[i + 1];
    if (DUMP_ESCAPES[ch] !== undefined) out += DUMP_ESCAPES[ch];
    else if (ch === "#" && (next === "{" || next === "$" || next === "@")) out += "\\#";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).toUpperCase().padStart(2, "0");
    else out += ch;
  }
  return out;
}

/** One value as Kamal writes it into an env file. */
export function escapeEnvFileValue(value: string): string {
  return (value.match(/[\x00-\x7f]+|[^\x00-\x7f]+/g) ?? [])
    .map((part) => (/^[\x00-\x7f]+$/.test(part) ? rubyDumpAsciiInner(part).replace(/\\"/g, '"').replace(/\\#/g, "#") : part))
    .join("");
}

/** The whole file; an empty env gives "\n" (Kamal avoids an empty upload). */
export function envFileContent(values: Record<string, string>): string {
  const text = Object.entries(values).map(([k, v]) => `${k}=${escapeEnvFileValue(v)}\n`).join("");
  return text === "" ? "\n" : text;
}

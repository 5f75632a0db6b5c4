// Kamal's textual argument helpers (lib/kamal/utils.rb), used ONLY to reproduce the strings Kamal shows in
// `kamal config` (volume_args, logging). Commands are built as argv data and quoted by src/shell instead.
import { rubyDumpAsciiInner } from "./env-file.ts";
import { isPresent, rubyToS, type RawHash } from "./values.ts";

/** Ruby `String#dump` for an ASCII-only string. */
function rubyDumpAscii(text: string): string {
  return '"' + rubyDumpAsciiInner(text) + '"';
}

/** Kamal::Utils.escape_shell_value: dump each ASCII run, keep non-ASCII runs, escape backticks and `$` not starting `${...}`. */
export function kamalEscapeValue(value: unknown): string {
  const text = rubyToS(value);
  const parts = text.match(/[\x00-\x7f]+|[^\x00-\x7f]+/g) ?? [];
  return parts
    .map((part) => (/^[\x00-\x7f]+$/.test(part)
      ? rubyDumpAscii(part).replace(/`/g, "\\`").replace(/\$(?!\{[^}]*\})/g, "\\$")
      : part))
    .join("");
}

/** Kamal::Utils.argumentize for display: `[flag, "key=<escaped>"]`, `key=false`, or a bare key. */
export function kamalArgumentize(flag: string, attributes: RawHash | unknown[]): string[] {
  const pairs: [unknown, unknown][] = Array.isArray(attributes)
    ? attributes.map((item) => (Array.isArray(item) ? [item[0], item[1]] : [item, undefined]))
    : Object.entries(attributes);
  return pairs.flatMap(([key, value]) => {
    if (isPresent(value)) return [flag, `${rubyToS(key)}=${kamalEscapeValue(value)}`];
    if (value === false) return [flag, `${rubyToS(key)}=false`];
    return [flag, rubyToS(key)];
  });
}

/** Kamal::Utils.optionize (space form) for display. */
export function kamalOptionize(options: RawHash): string[] {
  return Object.entries(options).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).flatMap((entry) =>
      entry === true ? [`--${key}`] : [`--${key}`, kamalEscapeValue(entry)]));
}

// A YAML emitter that writes what Ruby's `obj.to_yaml` (Psych + libyaml, best width 80, indent 2) writes for the
// plain data in `kamal config`: hashes, arrays, strings, numbers, booleans, nil and Ruby symbols. Used so that
// `kamal config` can print byte-for-byte what Kamal prints.
import { isRubySymbol, resolvePlainScalar } from "./yaml.ts";
import { isHash } from "./values.ts";

const BEST_WIDTH = 80;
const TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;

type Style = "plain" | "single" | "double" | "literal";

/** libyaml's yaml_emitter_analyze_scalar, reduced to what selects a style in block context. */
function analyze(text: string): { blockPlain: boolean; single: boolean; multiline: boolean; blockAllowed: boolean } {
  if (text === "") return { blockPlain: true, single: true, multiline: false, blockAllowed: false };
  const chars = [...text];
  let blockIndicators = /^(---|\.\.\.)([ \t\n]|$)/.test(text);
  let special = false, lineBreaks = false, leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  const blankz = (c: string | undefined) => c === undefined || c === " " || c === "\t" || c === "\n" || c === "\r";
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const followedByWhitespace = blankz(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      if ((c === "?" || c === ":") && followedByWhitespace) blockIndicators = true;
      if (c === "-" && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ":" && followedByWhitespace) blockIndicators = true;
      if (c === "#" && precededByWhitespace) blockIndicators = true;
    }
    const code = c.codePointAt(0)!;
    const printable = code === 0x0a || (code >= 0x20 && code <= 0x7e) || code === 0x85 || (code >= 0xa0 && code <= 0xd7ff)
      || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || code >= 0x10000;
    if (!printable) special = true;
    if (c === "\n" || c === "\r") lineBreaks = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true; previousBreak = false;
    } else if (c === "\n" || c === "\r") {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true; previousSpace = false;
    } else {
      previousSpace = false; previousBreak = false;
    }
    precededByWhitespace = blankz(c);
  }
  let blockPlain = true, single = true, blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) { blockPlain = false; single = false; }
  if (spaceBreak || special) { blockPlain = false; single = false; blockAllowed = false; }
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { blockPlain, single, multiline: lineBreaks, blockAllowed };
}

/** Psych's visit_String choice, then libyaml's downgrade when the requested style is not allowed. */
function stringStyle(text: string, simpleKey: boolean): Style {
  let requested: Style = "plain";
  if (/\n(?!\n?$)/.test(text)) requested = "literal";
  else if (["y", "Y", "n", "N"].includes(text)) requested = "double";
  else if (/^[^\p{L}\p{M}\p{Nd}\p{Pc}][^"]*$/mu.test(text)) requested = "double";
  else {
    const token = text === "" ? null : resolvePlainScalar(text);
    if (typeof token !== "string" || TIME.test(text) || DATE.test(text) || /^0[0-7]*[89]/.test(text)) requested = "single";
  }
  return selectStyle(text, requested, simpleKey);
}

function selectStyle(text: string, requested: Style, simpleKey: boolean): Style {
  const a = analyze(text);
  let style = requested;
  if (style === "plain" && (!a.blockPlain || (text === "" && simpleKey))) style = "single";
  if (style === "single" && !a.single) style = "double";
  if (style === "literal" && (!a.blockAllowed || simpleKey)) style = "double";
  return style;
}

class Writer {
  out = "";
  column = 0;
  /** Just after a written line break (libyaml's indention + whitespace): the next indent needs no new break. */
  private atLineStart = false;
  write(text: string): void { this.out += text; this.column += [...text].length; this.atLineStart = false; }
  newline(indent: number): void {
    if (!this.atLineStart) { this.out += "\n"; this.column = 0; }
    this.indentTo(indent);
  }
  lineBreak(): void { this.out += "\n"; this.column = 0; this.atLineStart = true; }
  /** After a line break: pad to the indent (libyaml write_indent with indention set). */
  indentTo(indent: number): void {
    if (this.column < indent) { this.out += " ".repeat(indent - this.column); this.column = indent; }
    this.atLineStart = false;
  }
}

/** Writes a scalar after its indicator (`key:` or `-`); `indent` is the continuation indent for folded lines. */
function writeScalar(w: Writer, text: string, style: Style, indent: number, simpleKey: boolean, lead: boolean): void {
  const allowBreaks = !simpleKey;
  const chars = [...text];
  if (style === "plain") {
    if (lead && text !== "") w.write(" ");
    let spaces = false;
    chars.forEach((c, i) => {
      if (c === " ") {
        if (allowBreaks && !spaces && w.column > BEST_WIDTH && chars[i + 1] !== " ") w.newline(indent);
        else w.write(c);
        spaces = true;
      } else { w.write(c); spaces = false; }
    });
    return;
  }
  const isBreak = (c: string | undefined) => c === "\n" || c === "\r" || c === "\x85" || c === "\u2028" || c === "\u2029";
  if (style === "single") {
    w.write(lead ? " '" : "'");
    let spaces = false, breaks = false;
    chars.forEach((c, i) => {
      if (c === " ") {
        if (allowBreaks && !spaces && w.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== " ") w.newline(indent);
        else w.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === "\n") w.lineBreak();
        w.lineBreak();
        breaks = true;
      } else {
        if (breaks) w.indentTo(indent);
        w.write(c === "'" ? "''" : c);
        spaces = false; breaks = false;
      }
    });
    if (breaks) w.indentTo(indent);
    w.write("'");
    return;
  }
  if (style === "literal") {
    // libyaml's block scalar hints: an indentation hint when the text starts with a space or break; chomping
    // "-" without a trailing break, "" with exactly one, "+" with more (or a lone break).
    const hint = chars[0] === " " || isBreak(chars[0]) ? "2" : "";
    const last = chars[chars.length - 1];
    const chomp = !isBreak(last) ? "-" : chars.length === 1 || isBreak(chars[chars.length - 2]) ? "+" : "";
    w.write(`${lead ? " " : ""}|${hint}${chomp}`);
    w.lineBreak();
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) { w.lineBreak(); breaks = true; } else { if (breaks) w.indentTo(indent); w.write(c); breaks = false; }
    }
    return;
  }
  w.write(lead ? ' "' : '"');
  let spaces = false;
  chars.forEach((c, i) => {
    const code = c.codePointAt(0)!;
    const printable = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff) || code >= 0x10000;
    if (!printable || c === '"' || c === "\\" || c === "\u2028" || c === "\u2029") {
      const named: Record<string, string> = { "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P" };
      w.write("\\" + (named[c] ?? (code <= 0xff ? "x" + code.toString(16).toUpperCase().padStart(2, "0") : code <= 0xffff ? "u" + code.toString(16).toUpperCase().padStart(4, "0") : "U" + code.toString(16).toUpperCase().padStart(8, "0"))));
      spaces = false;
    } else if (c === " ") {
      if (allowBreaks && !spaces && w.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
        w.newline(indent);
        if (chars[i + 1] === " ") w.write("\\");
      } else w.write(c);
      spaces = true;
    } else { w.write(c); spaces = false; }
  });
  w.write('"');
}

function scalarOf(value: unknown, simpleKey: boolean): { text: string; style: Style } {
  if (value === null || value === undefined) return { text: "", style: "plain" };
  if (typeof value === "boolean") return { text: String(value), style: "plain" };
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { text: ".nan", style: "plain" };
    if (!Number.isFinite(value)) return { text: value > 0 ? ".inf" : "-.inf", style: "plain" };
    return { text: String(value), style: "plain" };
  }
  if (isRubySymbol(value)) { const text = `:${value.name}`; return { text, style: selectStyle(text, "plain", simpleKey) }; }
  const text = String(value);
  return { text, style: stringStyle(text, simpleKey) };
}

type Entries = Array<[unknown, unknown]>;

/** Entries of a hash (string keys) or a Map (keys may be RubySymbols); undefined for anything else. */
function entriesOf(value: unknown): Entries | undefined {
  if (value instanceof Map) return [...value.entries()];
  if (isHash(value)) return Object.entries(value);
  return undefined;
}

/** A mapping key as Psych writes it: `:name` for RubySymbol keys, else the string rules. */
function writeKey(w: Writer, key: unknown, indent: number): void {
  const { text, style } = scalarOf(key, true);
  writeScalar(w, text, style, indent, true, false);
  w.write(":");
}

type Place = "root" | "value" | "item";

/**
 * Writes a node whose indicator (`---`, `key:` or `-`) has just been written at column `at`.
 * Mapping entries go at `at + 2` under a key, `at + 2` after a dash (first one on the dash line), `0` at the root;
 * sequences under a key are indentless (dashes at `at`).
 */
function writeNode(w: Writer, value: unknown, at: number, place: Place): void {
  const entries = entriesOf(value);
  if (entries && entries.length > 0) {
    const indent = place === "root" ? 0 : at + 2;
    entries.forEach(([key, item], i) => {
      if (i === 0 && place === "item") w.write(" "); else w.newline(indent);
      writeKey(w, key, indent);
      writeNode(w, item, indent, "value");
    });
    return;
  }
  if (Array.isArray(value) && value.length > 0) {
    const indent = place === "root" ? 0 : place === "value" ? at : at + 2;
    value.forEach((item, i) => {
      if (i === 0 && place === "item") w.write(" "); else w.newline(indent);
      w.write("-");
      writeNode(w, item, indent, "item");
    });
    return;
  }
  if (entries || Array.isArray(value)) { w.write(entries ? " {}" : " []"); return; }
  const { text, style } = scalarOf(value, false);
  writeScalar(w, text, style, place === "root" ? 2 : at + 2, false, true);
}

/** `value.to_yaml` as Psych writes it. Map keys may be RubySymbols (written `:name`). */
export function emitPsychYaml(value: unknown): string {
  const w = new Writer();
  w.write("---");
  writeNode(w, value, 0, "root");
  return w.out + "\n";
}

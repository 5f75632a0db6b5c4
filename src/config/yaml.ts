// YAML loading with the semantics of Ruby's `YAML.unsafe_load` (Psych, YAML 1.1), which Kamal uses for
// config/deploy.yml. The `yaml` package parses the text (failsafe schema, so every plain scalar stays a
// string); this module then resolves scalars the way Psych's ScalarScanner does, follows aliases and
// applies `<<` merge keys the way Psych's ToRuby visitor does.
//
// Representation of Ruby values:
// - String -> string; Integer / Float -> number (a Float such as `1.0` becomes the JS number 1);
//   true/false -> boolean; nil -> null; Hash -> plain object (keys as strings); Array -> array.
// - Symbol (a plain scalar `:verbose`) -> a RubySymbol instance. `String(sym)` gives "verbose" like Ruby's
//   Symbol#to_s; `sym.inspect()` gives ":verbose". Validation treats it as "stringish" like Kamal does.
// - Dates and times stay strings (Psych would build Date/Time objects; configs do not use them).

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from "yaml";
import type { Document, Node as YamlNode, Scalar } from "yaml";
import { ConfigurationError } from "../errors.ts";

/** A Ruby Symbol read from YAML (`:name`). */
export class RubySymbol {
  constructor(readonly name: string) {}
  toString(): string { return this.name; }
  inspect(): string { return `:${this.name}`; }
}

export function isRubySymbol(value: unknown): value is RubySymbol {
  return value instanceof RubySymbol;
}

const STRINGY = /^[^\d.:-]?[\p{L}\p{M}_\s!@#$%^&*(){}<>|/\\~;=]+/u;
const TIME = /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;
const FLOAT = /^[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?$/;
const INTEGER = /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/;
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/;
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/;

/** Ruby's `Integer(str)` for the forms Psych hands it (sign, 0b, 0x, leading-0 octal, decimal). */
function rubyInteger(text: string): number {
  let s = text.replace(/[,_]/g, "");
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) { if (s[0] === "-") sign = -1; s = s.slice(1); }
  let value: number;
  if (/^0b/i.test(s)) value = parseInt(s.slice(2), 2);
  else if (/^0x/i.test(s)) value = parseInt(s.slice(2), 16);
  else if (/^0\d/.test(s)) value = parseInt(s.slice(1), 8);
  else value = parseInt(s, 10);
  return sign * value;
}

/** Psych's base-60 conversion, including its `60 ** (e - 2).abs` weighting (so "1:30" is 5400). */
function sexagesimal(text: string, float: boolean): number {
  let total = 0;
  text.split(":").forEach((part, e) => {
    const n = float ? parseFloat(part.replace(/_/g, "")) : parseInt(part.replace(/_/g, ""), 10);
    total += (Number.isNaN(n) ? 0 : n) * 60 ** Math.abs(e - 2);
  });
  return total;
}

/** Psych::ScalarScanner#tokenize for a plain (unquoted, untagged) scalar. */
export function resolvePlainScalar(text: string): unknown {
  if (text === "") return null;
  if (STRINGY.test(text) || text.includes("\n")) {
    if (text.length > 5) return text;
    if (/^[^ytonf~]/i.test(text)) return text;
    if (text === "~" || /^null$/i.test(text)) return null;
    if (/^(yes|true|on)$/i.test(text)) return true;
    if (/^(no|false|off)$/i.test(text)) return false;
    return text;
  }
  if (TIME.test(text) || DATE.test(text)) return text;
  if (/^\+?\.inf$/i.test(text)) return Infinity;
  if (/^-\.inf$/i.test(text)) return -Infinity;
  if (/^\.nan$/i.test(text)) return NaN;
  if (/^:./.test(text)) {
    const quoted = /^:(["'])(.*)\1/.exec(text);
    return new RubySymbol(quoted ? quoted[2].replace(/^:/, "") : text.slice(1));
  }
  if (SEXAGESIMAL_INT.test(text)) return sexagesimal(text, false);
  if (SEXAGESIMAL_FLOAT.test(text)) return sexagesimal(text, true);
  if (FLOAT.test(text)) {
    if (/^[-+]?\.$/.test(text)) return text;
    return Number(text.replace(/[,_]/g, "").replace(/\.([Ee]|$)/, "$1"));
  }
  if (INTEGER.test(text)) return rubyInteger(text);
  return text;
}

type Located = (node: YamlNode | null | undefined, message: string) => ConfigurationError;

function resolveTaggedScalar(node: Scalar, text: string, fail: Located): unknown {
  const tag = node.tag ?? "";
  switch (tag) {
    case "tag:yaml.org,2002:str": case "!": return text;
    case "tag:yaml.org,2002:null": return null;
    case "tag:yaml.org,2002:bool": {
      const value = resolvePlainScalar(text);
      return typeof value === "boolean" ? value : text;
    }
    case "tag:yaml.org,2002:int": case "tag:yaml.org,2002:float": {
      const value = resolvePlainScalar(text);
      return typeof value === "number" ? value : text;
    }
    default: throw fail(node, `unsupported YAML tag ${tag}`);
  }
}

class RubyValueBuilder {
  private readonly aliased = new Map<YamlNode, unknown>();
  /** Collections being built: an alias to one of them would make the value contain itself. */
  private readonly building = new Set<unknown>();
  constructor(private readonly doc: Document, private readonly fail: Located) {}

  build(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw this.fail(node, `unknown alias *${node.source}`);
      if (this.building.has(target)) {
        throw this.fail(node, `the alias *${node.source} is inside its own anchor &${node.source} (a value cannot contain itself); use a copy instead`);
      }
      if (!this.aliased.has(target)) this.aliased.set(target, this.build(target));
      return this.aliased.get(target);
    }
    if (isScalar(node)) {
      const text = node.value === null || node.value === undefined ? "" : String(node.value);
      if (node.tag) return resolveTaggedScalar(node, text, this.fail);
      return node.type === "PLAIN" ? resolvePlainScalar(text) : text;
    }
    if (isSeq(node) || isMap(node)) {
      const standard = isSeq(node) ? "tag:yaml.org,2002:seq" : "tag:yaml.org,2002:map";
      if (node.tag && node.tag !== standard) throw this.fail(node, `unsupported YAML tag ${node.tag}`);
      this.building.add(node);
      try {
        return isSeq(node) ? node.items.map((item) => this.build(item)) : this.buildHash(node.items);
      } finally {
        this.building.delete(node);
      }
    }
    throw this.fail(node as YamlNode, "unsupported YAML node");
  }

  private buildHash(pairs: unknown[]): Record<string, unknown> {
    const hash: Record<string, unknown> = {};
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const key = this.build(pair.key);
      const value = this.build(pair.value);
      const explicitString = isScalar(pair.key) && pair.key.tag === "tag:yaml.org,2002:str";
      if (key === "<<" && !explicitString && this.merge(hash, pair.value, value)) continue;
      setKey(hash, rubyKeyString(key), value);
    }
    return hash;
  }

  /** Psych's merge-key rule; false when the value cannot be merged (then `<<` stays an ordinary key). */
  private merge(hash: Record<string, unknown>, node: unknown, value: unknown): boolean {
    if ((isAlias(node) || isMap(node)) && isPlainHash(value)) {
      for (const [k, v] of Object.entries(value)) setKey(hash, k, v);
      return true;
    }
    if (isSeq(node) && Array.isArray(value) && value.every(isPlainHash)) {
      const combined: Record<string, unknown> = {};
      for (const item of [...value].reverse()) for (const [k, v] of Object.entries(item)) setKey(combined, k, v);
      for (const [k, v] of Object.entries(combined)) setKey(hash, k, v);
      return true;
    }
    return false;
  }
}

function isPlainHash(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RubySymbol);
}

function setKey(hash: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(hash, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Hash keys become strings: Ruby's `to_s` of the YAML key (nil -> "", symbols without the colon). */
function rubyKeyString(key: unknown): string {
  if (key === null || key === undefined) return "";
  if (typeof key === "object" && !(key instanceof RubySymbol)) return JSON.stringify(key);
  return String(key);
}

/**
 * Parses YAML text like Psych's `YAML.unsafe_load`: the first document only; an empty document gives null.
 * Syntax errors become one-line ConfigurationErrors: `<file>:<line>: invalid YAML: <reason>`.
 */
export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { schema: "failsafe", merge: false, uniqueKeys: false, lineCounter, prettyErrors: false });
  const located: Located = (node, message) => {
    const offset = node?.range?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    return new ConfigurationError(`${file}${line ? `:${line}` : ""}: ${message}`);
  };
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc) return null;
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
    const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigurationError(`${file}:${line}: invalid YAML: ${reason}`);
  }
  return new RubyValueBuilder(doc as Document, located).build(doc.contents);
}

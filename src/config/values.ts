// Small helpers to read the loosely typed raw configuration with Ruby/ActiveSupport semantics
// (present?, blank?, deep_merge, to_s) where Kamal's behaviour depends on them.

export type RawHash = Record<string, unknown>;

/** A plain object (a YAML mapping); Ruby symbols and other class instances are not hashes. */
export function isHash(value: unknown): value is RawHash {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The value as a hash, or an empty hash when it is not one. */
export function hashOrEmpty(value: unknown): RawHash {
  return isHash(value) ? value : {};
}

/** ActiveSupport `blank?`: nil, false, whitespace-only strings, empty arrays and hashes. */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (isHash(value)) return Object.keys(value).length === 0;
  return false;
}

export const isPresent = (value: unknown): boolean => !isBlank(value);

/** Ruby `to_s` for the scalar values YAML produces. */
export function rubyToS(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (isHash(value) || Array.isArray(value)) return JSON.stringify(value);
  return String(value); // e.g. a RubySymbol: Symbol#to_s is its name
}

/** ActiveSupport `deep_merge`: hashes merge recursively, everything else from `over` replaces. Inputs are not mutated. */
export function deepMerge(base: RawHash, over: RawHash): RawHash {
  const out: RawHash = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isHash(current) && isHash(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** Ruby `Hash#==` style structural equality (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isHash(a) && isHash(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Ruby `Array(x)`: nil -> [], array -> itself, anything else -> [x]. */
export function rubyArray<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

export function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : rubyToS(value);
}

export function optionalNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

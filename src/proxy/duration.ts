// Go `time.Duration` syntax: parse ("1m30s", "500ms", "0") and format (Duration.String()), in nanoseconds.

const UNIT_NS: Record<string, number> = {
  ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
};

export class DurationError extends Error {}

/** Parses a Go duration string into nanoseconds; throws DurationError with Go's message. */
export function parseDuration(text: string): number {
  const quoted = `"${text}"`;
  let rest = text;
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest[0] === "-") sign = -1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw new DurationError(`time: invalid duration ${quoted}`);
  let total = 0;
  while (rest !== "") {
    const num = /^(\d*)(\.(\d*))?/.exec(rest)!;
    if (num[0] === "" || num[0] === "." ) throw new DurationError(`time: invalid duration ${quoted}`);
    rest = rest.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(rest)![0];
    if (unit === "") throw new DurationError(`time: missing unit in duration ${quoted}`);
    const factor = UNIT_NS[unit];
    if (factor === undefined) throw new DurationError(`time: unknown unit "${unit}" in duration ${quoted}`);
    rest = rest.slice(unit.length);
    total += Number(num[0].startsWith(".") ? "0" + num[0] : num[0]) * factor;
  }
  return sign * Math.round(total);
}

function fraction(value: number, digits: number): string {
  if (value === 0) return "";
  const s = String(value).padStart(digits, "0").replace(/0+$/, "");
  return "." + s;
}

/** Formats nanoseconds the way Go's Duration.String() does ("30s", "1m0s", "20ms", "1.5s"). */
export function formatDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let n = Math.abs(Math.round(ns));
  let out: string;
  if (n < 1e9) {
    if (n < 1e3) out = `${n}ns`;
    else if (n < 1e6) out = `${Math.floor(n / 1e3)}${fraction(n % 1e3, 3)}µs`;
    else out = `${Math.floor(n / 1e6)}${fraction(n % 1e6, 6)}ms`;
  } else {
    const h = Math.floor(n / 3600e9);
    n -= h * 3600e9;
    const m = Math.floor(n / 60e9);
    n -= m * 60e9;
    const secs = `${Math.floor(n / 1e9)}${fraction(n % 1e9, 9)}s`;
    out = (h > 0 ? `${h}h` : "") + (h > 0 || m > 0 ? `${m}m` : "") + secs;
  }
  return neg ? "-" + out : out;
}

export const NS_PER_MS = 1e6;
export const msOf = (ns: number): number => ns / NS_PER_MS;

// Gem::Version-style comparison for `minimum_version`.
import { ArgumentError } from "../errors.ts";

const VERSION_PATTERN = /^\s*[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\s*$/;

/** Segments as Gem::Version sees them: numbers, and letter runs that mark a pre-release. */
function segments(version: string): (number | string)[] {
  if (!VERSION_PATTERN.test(version)) throw new ArgumentError(`Malformed version number string ${version}`);
  const parts = version.trim().replace(/-/g, ".pre.").match(/[0-9]+|[a-z]+/gi) ?? [];
  const segs = parts.map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p));
  while (segs.length > 1 && segs[segs.length - 1] === 0) segs.pop();
  return segs;
}

/** -1, 0 or 1 like Ruby's <=>. */
export function compareGemVersions(a: string, b: string): number {
  const sa = segments(a);
  const sb = segments(b);
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i] ?? 0;
    const y = sb[i] ?? 0;
    if (x === y) continue;
    if (typeof x === "string" && typeof y === "number") return -1;
    if (typeof x === "number" && typeof y === "string") return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

// Ruby's File.fnmatch(pattern, name, File::FNM_EXTGLOB) (no FNM_PATHNAME, no FNM_DOTMATCH, no FNM_CASEFOLD):
// `*` any run of characters, `?` one character, `[abc]` `[a-z]` `[!a]`/`[^a]` classes, `\x` escapes,
// `{a,b}` alternatives (nestable). A leading "." in the name is only matched by a literal ".".

/** Expand `{a,b}` alternatives into separate patterns (Ruby does the same before matching). */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") { i++; continue; }
    if (ch === "{") { if (depth++ === 0) open = i; }
    else if (ch === "}" && depth > 0 && --depth === 0) {
      const inner = pattern.slice(open + 1, i);
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return splitTopLevel(inner).flatMap((alt) => expandBraces(head + alt + tail));
    }
  }
  return [pattern];
}

/** Split on commas that are not inside braces or escaped. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") { i++; continue; }
    if (ch === "{") depth++;
    else if (ch === "}" && depth > 0) depth--;
    else if (ch === "," && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

function toRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\" && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (ch === "*") re += "[\\s\\S]*";
    else if (ch === "?") re += "[\\s\\S]";
    else if (ch === "[") {
      const end = findClassEnd(pattern, i);
      if (end < 0) { re += "\\["; continue; }
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith("!") || body.startsWith("^")) { negate = true; body = body.slice(1); }
      let cls = "";
      for (let j = 0; j < body.length; j++) {
        if (body[j] === "\\" && j + 1 < body.length) cls += escapeRe(body[++j]);
        else if (body[j] === "-" && j > 0 && j < body.length - 1) cls += "-";
        else cls += escapeRe(body[j]);
      }
      re += negate ? `[^${cls}]` : `[${cls}]`;
      i = end;
    } else re += escapeRe(ch);
  }
  return new RegExp(`^${re}$`, "u");
}

function findClassEnd(pattern: string, open: number): number {
  let j = open + 1;
  if (pattern[j] === "!" || pattern[j] === "^") j++;
  if (pattern[j] === "]") j++; // a leading ] is literal
  for (; j < pattern.length; j++) {
    if (pattern[j] === "\\") { j++; continue; }
    if (pattern[j] === "]") return j;
  }
  return -1;
}

export function fnmatch(pattern: string, name: string): boolean {
  return expandBraces(pattern).some((p) => {
    if (name.startsWith(".") && !p.startsWith(".") && !p.startsWith("\\.")) return false;
    return toRegExp(p).test(name);
  });
}

// --scope-cookie-paths (kamal-proxy §3.8 CookieScope): Set-Cookie paths of a path-prefixed service are moved
// under the matched prefix, for cookies without a Domain or with a Domain equal to the request host.

function rescope(cookie: string, prefix: string, requestHost: string): string {
  const parts = cookie.split(";");
  let domain = "";
  let pathIndex = -1;
  for (let i = 1; i < parts.length; i++) {
    const [rawName, ...rest] = parts[i]!.split("=");
    const name = rawName!.trim().toLowerCase();
    if (name === "domain") domain = rest.join("=").trim().replace(/^\./, "");
    if (name === "path") pathIndex = i;
  }
  if (domain !== "" && domain.toLowerCase() !== requestHost.toLowerCase()) return cookie;
  if (pathIndex < 0) return `${cookie}; Path=${prefix}`;
  const current = parts[pathIndex]!.split("=").slice(1).join("=").trim();
  const scoped = current === "" || current === "/" ? prefix : prefix + (current.startsWith("/") ? current : "/" + current);
  parts[pathIndex] = ` Path=${scoped}`;
  return parts.join(";");
}

/** Rewrites every Set-Cookie of a response in place. `requestHost` is the Host without its port. */
export function scopeCookiePaths(headers: Headers, prefix: string, requestHost: string): void {
  const cookies = headers.getSetCookie();
  if (cookies.length === 0) return;
  headers.delete("set-cookie");
  for (const cookie of cookies) headers.append("set-cookie", rescope(cookie, prefix, requestHost));
}

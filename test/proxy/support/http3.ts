// One HTTP/3 request from a separate Bun process: Bun's HTTP/3 client is behind a start-up feature flag. Async, so
// an upstream answering it in the calling process keeps running.
export async function http3Get(url: string): Promise<{ status: string; body: string; altSvc: string | null }> {
  const script = `const r = await fetch(${JSON.stringify(url)}, { tls: { rejectUnauthorized: false }, protocol: "http3" });` +
    `console.log(JSON.stringify({ status: String(r.status), body: await r.text(), altSvc: r.headers.get("alt-svc") }));`;
  const child = Bun.spawn([process.execPath, "-e", script], {
    env: { ...process.env, BUN_FEATURE_FLAG_EXPERIMENTAL_HTTP3_CLIENT: "1" }, stdout: "pipe", stderr: "pipe",
  });
  const timer = setTimeout(() => child.kill(), 15_000);
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(timer);
  if (code !== 0) throw new Error(`HTTP/3 request failed (${code}): ${err}`);
  return JSON.parse(out.trim());
}

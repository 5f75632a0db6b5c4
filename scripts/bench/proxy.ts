// Proxy benchmark on loopback: requests/s and p50/p99 latency through our kamal-proxy (the compiled binary),
// nginx (1 worker, keep-alive upstream), caddy and haproxy (1 thread), all in front of the same upstream (nginx,
// 1 worker, a fixed 13-byte answer). Same wrk settings for all (`wrk -t1 -c50 -d5s --latency`), median of 5 runs,
// runs interleaved between proxies. Then the RSS of our proxy holding 1000 idle keep-alive client connections.
//
//   node_modules/.bin/bun scripts/bench/proxy.ts [--runs 5] [--duration 5s] [--binary path/to/kamal]
// Needs: wrk, nginx (nginx-light), caddy, haproxy on PATH. Everything listens on 127.0.0.1 and is stopped at the end.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, connect, type Socket } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const REPO = resolve(import.meta.dirname, "../..");
const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "5" }, duration: { type: "string", default: "5s" }, binary: { type: "string" }, idle: { type: "string", default: "1000" } },
});
const RUNS = Number(args.runs);
const IDLE_CLIENTS = Number(args.idle);
const work = mkdtempSync(join(tmpdir(), "bench-proxy-"));
const children: ChildProcess[] = [];

interface WrkResult { rps: number; p50: number; p99: number }
interface Contender { name: string; port: number; headers?: string[]; pid?: number }

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

/** Starts a server; its stderr goes to a file (a pipe could fill while wrk runs and block the server). */
function start(name: string, argv: string[], env: Record<string, string> = {}): ChildProcess {
  const errPath = join(work, `${name.replace(/\W+/g, "-")}.stderr`);
  const errFd = openSync(errPath, "w");
  const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", errFd], env: { ...process.env, ...env } });
  closeSync(errFd);
  child.on("exit", (code) => {
    if (code && !stopping) process.stderr.write(`${name} exited ${code}: ${readFileSync(errPath, "utf8").slice(0, 4000)}\n`);
  });
  children.push(child);
  return child;
}

async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((done) => {
      const socket = connect(port, "127.0.0.1", () => { socket.destroy(); done(true); });
      socket.on("error", () => done(false));
    });
    if (ok) return;
    await Bun.sleep(100);
  }
  throw new Error(`nothing listening on 127.0.0.1:${port}`);
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!m) throw new Error(`unparsable wrk latency ${value}`);
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]];
}

export function parseWrk(output: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p50 = /^\s+50%\s+(\S+)/m.exec(output);
  const p99 = /^\s+99%\s+(\S+)/m.exec(output);
  if (!rps || !p50 || !p99) throw new Error(`unparsable wrk output:\n${output}`);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  if (errors) throw new Error(`wrk saw ${errors[1]} non-2xx/3xx responses:\n${output}`);
  return { rps: Number(rps[1]), p50: toMs(p50[1]), p99: toMs(p99[1]) };
}

function wrk(contender: Contender, duration: string): WrkResult {
  const headerArgs = (contender.headers ?? []).flatMap((h) => ["-H", h]);
  const run = spawnSync("wrk", ["-t1", "-c50", `-d${duration}`, "--latency", ...headerArgs, `http://127.0.0.1:${contender.port}/`], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`wrk failed for ${contender.name}: ${run.stderr}`);
  return parseWrk(run.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return kb ? Number(kb[1]) / 1024 : NaN;
}

/** Opens `count` keep-alive connections, each completing one request, and leaves them open and idle. */
async function idleClients(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let batch = 0; batch < count; batch += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - batch) }, () => new Promise<void>((done, fail) => {
      const socket = connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: bench.local\r\nConnection: keep-alive\r\n\r\n"));
      socket.once("data", () => done());
      socket.on("error", fail);
      sockets.push(socket);
    })));
  }
  return sockets;
}

let stopping = false;
function stopAll(): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, "SIGTERM");
}

async function main(): Promise<void> {
  const [upstreamPort, nginxPort, caddyPort, haproxyPort, oursPort, oursHttpsPort, fastPort, fastHttpsPort] = await Promise.all(Array.from({ length: 8 }, freePort));
  const nginxConf = (name: string, server: string) => {
    const prefix = join(work, name);
    spawnSync("mkdir", ["-p", prefix]);
    const path = join(prefix, "nginx.conf");
    writeFileSync(path, `worker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/error.log;\nevents { worker_connections 4096; }\n` +
      `http {\n access_log off;\n client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fcgi;\n` +
      ` uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;\n keepalive_requests 1000000;\n${server}\n}\n`);
    return ["nginx", "-p", prefix, "-c", path, "-g", "daemon off;"];
  };
  start("upstream nginx", nginxConf("upstream", `server { listen 127.0.0.1:${upstreamPort}; location / { default_type text/plain; return 200 "hello, world\\n"; } }`));
  start("nginx", nginxConf("proxy", `upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; }\n` +
    `server { listen 127.0.0.1:${nginxPort}; location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } }`));
  const caddyfile = join(work, "Caddyfile");
  writeFileSync(caddyfile, `{\n admin off\n auto_https off\n}\nhttp://127.0.0.1:${caddyPort} {\n reverse_proxy 127.0.0.1:${upstreamPort}\n}\n`);
  start("caddy", ["caddy", "run", "--config", caddyfile, "--adapter", "caddyfile"], { XDG_DATA_HOME: work, XDG_CONFIG_HOME: work, HOME: work });
  const haproxyCfg = join(work, "haproxy.cfg");
  writeFileSync(haproxyCfg, `global\n nbthread 1\n maxconn 4096\ndefaults\n mode http\n timeout connect 5s\n timeout client 30s\n timeout server 30s\n` +
    ` http-reuse always\nfrontend f\n bind 127.0.0.1:${haproxyPort}\n default_backend b\nbackend b\n server s1 127.0.0.1:${upstreamPort}\n`);
  start("haproxy", ["haproxy", "-f", haproxyCfg, "-db"]);

  // Our proxy: the compiled single binary, invoked as kamal-proxy, as in the image.
  let binary = args.binary;
  if (!binary) {
    binary = join(work, "kamal");
    const build = spawnSync(join(REPO, "node_modules/.bin/bun"), ["build", "--compile", join(REPO, "src/main.ts"), "--outfile", binary], { encoding: "utf8" });
    if (build.status !== 0) throw new Error(`bun build --compile failed: ${build.stderr}`);
  }
  const proxyBin = join(work, "kamal-proxy");
  symlinkSync(resolve(binary), proxyBin);
  const proxyEnv = { HOME: work, KAMAL_PROXY_SOCKET: join(work, "kamal-proxy.sock") };
  const ours = start("kamal-proxy", [proxyBin, "run", "--http-port", String(oursPort), "--https-port", String(oursHttpsPort)], proxyEnv);
  // The same binary with the opt-in raw-socket fast path on (src/proxy/fast/).
  const fastEnv = { HOME: join(work, "fast"), KAMAL_PROXY_SOCKET: join(work, "kamal-proxy-fast.sock"), KAMAL_PROXY_FAST_PATH: "true" };
  spawnSync("mkdir", ["-p", fastEnv.HOME]);
  const fast = start("kamal-proxy (fast path)", [proxyBin, "run", "--http-port", String(fastPort), "--https-port", String(fastHttpsPort)], fastEnv);

  await Promise.all([upstreamPort, nginxPort, caddyPort, haproxyPort, oursPort, fastPort].map((p) => waitForPort(p)));
  const deploy = (service: string, extra: string[], env: Record<string, string> = proxyEnv) => {
    const r = spawnSync(proxyBin, ["deploy", service, "--target", `127.0.0.1:${upstreamPort}`, "--health-check-path", "/", ...extra],
      { encoding: "utf8", env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`kamal-proxy deploy ${service} failed: ${r.stderr}`);
  };
  deploy("bench", []);
  deploy("bench-buffered", ["--host", "buffered.local", "--buffer-requests", "--buffer-responses",
    "--log-request-header", "Cache-Control", "--log-request-header", "Last-Modified", "--log-request-header", "User-Agent"]);
  deploy("bench", [], fastEnv);

  const contenders: Contender[] = [
    { name: "upstream direct (no proxy)", port: upstreamPort },
    { name: "nginx (1 worker, keepalive)", port: nginxPort },
    { name: "haproxy (1 thread)", port: haproxyPort },
    { name: "caddy", port: caddyPort },
    { name: "kamal-ts proxy", port: oursPort, pid: ours.pid },
    { name: "kamal-ts proxy, Kamal defaults (buffering)", port: oursPort, headers: ["Host: buffered.local"], pid: ours.pid },
    { name: "kamal-ts proxy, opt-in fast path (KAMAL_PROXY_FAST_PATH=true)", port: fastPort, pid: fast.pid },
  ];
  for (const c of contenders) wrk(c, "1s"); // warm-up
  const results = new Map<string, WrkResult[]>(contenders.map((c) => [c.name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const c of contenders) {
      results.get(c.name)!.push(wrk(c, args.duration!));
      process.stderr.write(".");
    }
  }
  process.stderr.write("\n");

  const summary = contenders.map((c) => {
    const runs = results.get(c.name)!;
    return { name: c.name, rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
  });
  const nginx = summary.find((s) => s.name.startsWith("nginx"))!;
  const lines = [
    `wrk -t1 -c50 -d${args.duration} --latency, median of ${RUNS}, loopback, ${availableParallelism()} cores`,
    "",
    "| proxy | req/s | p50 ms | p99 ms | req/s vs nginx | p99 vs nginx |",
    "|---|---:|---:|---:|---:|---:|",
    ...summary.map((s) => `| ${s.name} | ${Math.round(s.rps)} | ${s.p50.toFixed(2)} | ${s.p99.toFixed(2)} | ${(s.rps / nginx.rps).toFixed(2)} | ${(s.p99 / nginx.p99).toFixed(2)} |`),
  ];

  const pid = ours.pid!;
  const before = rssMb(pid);
  const sockets = await idleClients(oursPort, IDLE_CLIENTS);
  await Bun.sleep(1000);
  const withIdle = rssMb(pid);
  for (const s of sockets) s.destroy();
  lines.push("", `kamal-ts proxy RSS: ${before.toFixed(1)} MB after the load runs, ${withIdle.toFixed(1)} MB with ${sockets.length} idle keep-alive clients (target < 100 MB)`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

try {
  await main();
} finally {
  stopAll();
  await Bun.sleep(300);
  rmSync(work, { recursive: true, force: true });
}

// CLI start-up benchmark: median wall time over N runs (default 10, after 2 warm-ups) of
//   dist/kamal version          target < 30 ms
//   dist/kamal config           target < 60 ms   (in a fixture app: git repo, deploy.yml, .kamal/secrets)
// Usage: bun scripts/bench/cli.ts [--runs N] [--binary dist/kamal] [--check]   (build first: npm run build)
// --check exits 1 when a median misses its target.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const DEPLOY_YML = `service: bench
image: acme/bench
servers:
  web:
    - 10.0.0.1
    - 10.0.0.2
  workers:
    hosts:
      - 10.0.0.3
    cmd: bin/jobs
registry:
  server: registry.example.com
  username: acme
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
env:
  clear:
    RAILS_ENV: production
  secret:
    - KAMAL_REGISTRY_PASSWORD
proxy:
  host: bench.example.com
`;

function fixtureApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "kamal-bench-"));
  mkdirSync(join(dir, "config"));
  mkdirSync(join(dir, ".kamal"));
  writeFileSync(join(dir, "config/deploy.yml"), DEPLOY_YML);
  writeFileSync(join(dir, ".kamal/secrets"), "KAMAL_REGISTRY_PASSWORD=s3cret\n");
  const env = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
  for (const args of [["init", "-q"], ["add", "."], ["commit", "-qm", "bench"]]) execFileSync("git", args, { cwd: dir, env, stdio: "ignore" });
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function time(binary: string, args: string[], cwd: string, runs: number): number[] {
  const samples: number[] = [];
  for (let i = -2; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(binary, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    const ms = performance.now() - started;
    if (r.status !== 0) throw new Error(`${binary} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (i >= 0) samples.push(ms);
  }
  return samples;
}

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const runs = Number(opt("--runs", "10"));
const binary = resolve(opt("--binary", join(import.meta.dir, "../../dist/kamal")));
if (!existsSync(binary)) {
  console.error(`${binary} not found: run npm run build first`);
  process.exit(1);
}

const app = fixtureApp();
let missed = false;
try {
  for (const [label, args, target] of [["kamal version", ["version"], 30], ["kamal config", ["config"], 60]] as const) {
    const samples = time(binary, [...args], app, runs);
    const m = median(samples);
    const ok = m < target;
    missed ||= !ok;
    console.log(`${label.padEnd(14)} median ${m.toFixed(1)} ms  (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)}, n=${runs})  target < ${target} ms  ${ok ? "OK" : "MISSED"}`);
  }
} finally {
  rmSync(app, { recursive: true, force: true });
}
if (argv.includes("--check") && missed) process.exit(1);

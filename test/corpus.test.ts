// Runs the real-world corpus (/work/shared/corpus) in-process: one temp git repo per app, `kamal config [-d dest]`
// via loadConfig + configToHash, compared by value with what Kamal 2.12 printed.
import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { Config, configToHash, loadConfig, renderConfigYaml } from "../src/config/index.ts";
import { KamalError } from "../src/errors.ts";
import { corpusDir } from "./support/corpus.ts";

const CORPUS_DIR = corpusDir() ?? "/nonexistent-corpus";

interface CorpusRun { app: string; id: string; destination?: string }
type Outcome = { ok: true; value: unknown; text?: string } | { ok: false; kind: string; message: string };
interface RunResult { run: CorpusRun; matches: boolean; detail: string; sameBytes: boolean; byteDiff?: string }

function corpusApps(): string[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return readdirSync(CORPUS_DIR).filter((d) => existsSync(join(CORPUS_DIR, d, "expected"))).sort();
}

function runsOf(app: string): CorpusRun[] {
  return readdirSync(join(CORPUS_DIR, app, "expected"))
    .filter((f) => f.endsWith(".out"))
    .map((f) => {
      const rest = f.slice(app.length, -".out".length);
      return { app, id: f.slice(0, -".out".length), destination: rest.startsWith(".") ? rest.slice(1) : undefined };
    });
}

function readLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").map((l) => l.trim()).filter(Boolean) : [];
}

function caseSha(app: string): string {
  return readLines(join(CORPUS_DIR, app, "case", "sha"))[0] ?? "<none>";
}

function caseEnv(app: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readLines(join(CORPUS_DIR, app, "case", "env"))) {
    const at = line.indexOf("=");
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

function git(cwd: string, ...args: string[]): string {
  // Fixed identity and dates make each app's commit sha the same on every run.
  const dates = { GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z", GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z" };
  return execFileSync("git", ["-c", "user.name=corpus", "-c", "user.email=corpus@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...dates },
  }).trim();
}

/** A one-commit repo holding config/, a Dockerfile, .kamal/secrets* and case/files; returns [dir, sha]. */
function prepareRepo(app: string, root: string): { dir: string; sha: string } {
  const dir = mkdtempSync(join(root, `${app.slice(0, 20)}-`));
  const source = join(CORPUS_DIR, app);
  cpSync(join(source, "config"), join(dir, "config"), { recursive: true });
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
  mkdirSync(join(dir, ".kamal"), { recursive: true });
  const secretsFile = join(source, "case", "secrets");
  const secrets = existsSync(secretsFile) ? readFileSync(secretsFile, "utf8") : "";
  writeFileSync(join(dir, ".kamal", "secrets"), secrets);
  for (const dest of readLines(join(source, "case", "dests"))) writeFileSync(join(dir, ".kamal", `secrets.${dest}`), secrets);
  const files = join(source, "case", "files");
  if (existsSync(files)) cpSync(files, dir, { recursive: true });
  chmodRecursive(dir);
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "corpus");
  return { dir, sha: git(dir, "rev-parse", "HEAD") };
}

function chmodRecursive(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === ".git") continue;
    if (entry.isDirectory()) { chmodSync(path, 0o755); chmodRecursive(path); } else chmodSync(path, entry.name.endsWith(".sh") ? 0o755 : 0o644);
  }
}

function tempRoot(): string { return mkdtempSync(join(tmpdir(), "kamal-corpus-")); }

/** What Kamal printed: the to_h value (symbols stripped, sha replaced) or the error class and message. */
function expectedOutcome(run: CorpusRun): Outcome {
  const dir = join(CORPUS_DIR, run.app);
  const out = readFileSync(join(dir, "expected", `${run.id}.out`), "utf8");
  const error = /ERROR \(([^)]+)\): ([\s\S]*?)\x1b\[0m/.exec(out);
  if (error) return { ok: false, kind: error[1]!, message: error[2]! };
  const sha = caseSha(run.app);
  const text = out
    .replace(/^(\s*(?:- )?):([A-Za-z_][\w]*):/gm, "$1$2:")
    .replace(/: :([A-Za-z_]\w*)$/gm, ": $1")
    .split(sha).join("<SHA>").split(sha.slice(0, 7)).join("<SHORT_SHA>");
  return { ok: true, value: parse(text), text: out };
}

function actualOutcome(run: CorpusRun, repo: { dir: string; sha: string }): Outcome {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", TERM: "dumb", ...caseEnv(run.app) };
  try {
    const config = loadConfig({ cwd: repo.dir, destination: run.destination, env });
    const value = JSON.parse(JSON.stringify(configToHash(config)).split(repo.sha).join("<SHA>").split(repo.sha.slice(0, 7)).join("<SHORT_SHA>"));
    // Kamal-style text with the recorded sha in place of ours, to compare byte for byte.
    const sha = caseSha(run.app);
    // Rendered with the recorded sha as the version (a sha can look like a number, which changes YAML quoting).
    const withRecordedVersion = new Config(config.raw, { destination: run.destination, version: sha, cwd: repo.dir, env, secrets: config.secrets });
    const text = renderConfigYaml(withRecordedVersion, { keys: "kamal" }).split(repo.sha.slice(0, 7)).join(sha.slice(0, 7));
    return { ok: true, value, text };
  } catch (e) {
    if (e instanceof KamalError) return { ok: false, kind: e.kind, message: e.message };
    return { ok: false, kind: `crash ${(e as Error)?.constructor?.name}`, message: String((e as Error)?.stack ?? e) };
  }
}

/** First difference between two plain values, as "path: expected X, got Y", or undefined when equal. */
function firstDifference(expected: unknown, actual: unknown, path = ""): string | undefined {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const d = firstDifference(expected[i], actual[i], `${path}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObj(expected) && isObj(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const d = firstDifference(expected[key], actual[key], `${path}/${key}`);
      if (d) return d;
    }
    return undefined;
  }
  if (Number.isNaN(expected) && Number.isNaN(actual)) return undefined;
  return expected === actual ? undefined : `${path || "/"}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

function firstLineDifference(expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  const i = e.findIndex((line, n) => line !== a[n]);
  return `line ${i + 1}: expected ${JSON.stringify(e[i])}, got ${JSON.stringify(a[i])}`;
}

function compareOutcomes(expected: Outcome, actual: Outcome): string | undefined {
  if (expected.ok && actual.ok) return firstDifference(expected.value, actual.value);
  if (!expected.ok && !actual.ok) {
    // We report every validation problem, one per line, Kamal's (the first one it raises) first.
    if (expected.kind === actual.kind && expected.message === actual.message.split("\n")[0]) return undefined;
    return `error: expected ${expected.kind}: ${expected.message} | got ${actual.kind}: ${actual.message}`;
  }
  if (expected.ok) return `expected success, got ${(actual as { kind: string }).kind}: ${(actual as { message: string }).message.split("\n")[0]}`;
  return `expected ${expected.kind}: ${expected.message}, got success`;
}

// ---------------------------------------------------------------------------------------------------------------
// Known differences from Kamal 2.12, each explained. A run listed here must still differ (so fixed runs get removed)
// and a run not listed must match (so a new difference fails).
const KNOWN_DIFFERENCES: Record<string, string> = {
};

const apps = corpusApps();

describe.skipIf(apps.length === 0)("real-world corpus: kamal config matches Kamal 2.12", () => {
  test("every run matches, apart from the documented known differences", () => {
    const started = performance.now();
    const root = tempRoot();
    const results: RunResult[] = [];
    try {
      for (const app of apps) {
        const repo = prepareRepo(app, root);
        for (const run of runsOf(app)) {
          const expected = expectedOutcome(run);
          const actual = actualOutcome(run, repo);
          const diff = compareOutcomes(expected, actual);
          const sameBytes = expected.ok && actual.ok && expected.text === actual.text;
          const byteDiff = expected.ok && actual.ok && !sameBytes ? firstLineDifference(expected.text!, actual.text!) : undefined;
          results.push({ run, matches: diff === undefined, detail: diff ?? "", sameBytes, byteDiff });
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const seconds = (performance.now() - started) / 1000;
    const matching = results.filter((r) => r.matches).length;
    const byteExact = results.filter((r) => r.sameBytes).length;
    const kamalSucceeded = results.filter((r) => expectedOutcome(r.run).ok).length;
    console.log(`corpus: ${matching}/${results.length} runs match Kamal 2.12 (${apps.length} apps, ${seconds.toFixed(1)} s); ` +
      `kamal-style YAML byte-identical for ${byteExact}/${kamalSucceeded} successful runs`);
    // Every successful run must also print exactly Kamal's bytes with keys: "kamal".
    expect(results.filter((r) => r.matches && !r.sameBytes && r.byteDiff !== undefined).map((r) => `${r.run.id}: ${r.byteDiff}`)).toEqual([]);
    const unexpected = results.filter((r) => !r.matches && !(r.run.id in KNOWN_DIFFERENCES)).map((r) => `${r.run.id}: ${r.detail}`);
    const nowMatching = results.filter((r) => r.matches && r.run.id in KNOWN_DIFFERENCES).map((r) => r.run.id);
    expect(unexpected).toEqual([]);
    expect(nowMatching).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(100);
    expect(seconds).toBeLessThan(20);
  }, 60_000);
});

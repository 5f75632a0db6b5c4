// Local processes for the testbed: run a program (argv, no shell) and collect its output.
import { spawn } from "node:child_process";

export interface ProcResult { code: number; stdout: string; stderr: string }

export interface RunOptions { input?: string; env?: Record<string, string>; cwd?: string; inherit?: boolean }

/** Run argv[0] with the rest as arguments; never throws for a non-zero exit. */
export function run(argv: string[], opts: RunOptions = {}): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: [opts.input === undefined ? "ignore" : "pipe", opts.inherit ? "inherit" : "pipe", opts.inherit ? "inherit" : "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Like run, but a non-zero exit throws with the command and its stderr. */
export async function must(argv: string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw new Error(`'${argv.join(" ")}' failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Run a shell pipeline (only for fixed testbed pipelines such as tar | docker import). */
export const mustSh = (script: string, opts: RunOptions = {}): Promise<string> => must(["bash", "-o", "pipefail", "-c", script], opts);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll check() until it returns true or the timeout passes. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}`);
}

export const log = (msg: string): void => { process.stderr.write(`[testbed] ${msg}\n`); };

// In-process CLI runs against a temp directory, with captured stdout/stderr.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CliIO, Writer } from "../../src/cli/context.ts";
import { runCli, type CliSetup } from "../../src/cli/dispatch.ts";
import { DEFAULT_SETUP } from "../../src/cli/main.ts";

export class Capture implements Writer {
  text = "";
  constructor(readonly isTTY = false) {}
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    return true;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; setup?: CliSetup; tty?: boolean } = {},
): Promise<RunResult> {
  const stdout = new Capture(opts.tty);
  const stderr = new Capture(opts.tty);
  const io: CliIO = { cwd: opts.cwd ?? process.cwd(), env: opts.env ?? { PATH: process.env.PATH }, stdout, stderr };
  const code = await runCli(args, io, opts.setup ?? DEFAULT_SETUP);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export function tempApp(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "kamal-cli-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const DEPLOY_YML = `service: demo
image: acme/demo
servers:
  web:
    - 10.0.0.1
  workers:
    hosts:
      - 10.0.0.2
    cmd: bin/jobs
registry:
  server: registry.example.com
  username: acme
  password:
    - KAMAL_REGISTRY_PASSWORD
builder:
  arch: amd64
aliases:
  shell: app exec --interactive --reuse "bash -l"
  whoami: version
  cfg: config -d staging
  loop: loop
  dep: rollback v1
`;

export const FIXTURE_APP = {
  "config/deploy.yml": DEPLOY_YML,
  "config/deploy.staging.yml": "servers:\n  web:\n    - 10.0.1.1\n",
  ".kamal/secrets": "KAMAL_REGISTRY_PASSWORD=s3cret\n",
};

// Test helper: run `kamal secrets fetch` against the fake CLIs in test/fixtures/bin with a fresh state file,
// and read back the argv each fake received.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { secretsFetch } from "../../../src/config/secrets/commands.ts";

export const FAKE_BIN = resolve(import.meta.dir, "../../fixtures/bin");

export interface LoggedCall { cli: string; args: string[]; env: Record<string, string> }

export class FakeVaults {
  readonly dir = mkdtempSync(join(tmpdir(), "kamal-fake-cli-"));
  readonly statePath = join(this.dir, "state.json");
  readonly logPath = join(this.dir, "calls.log");

  constructor(state: Record<string, unknown>, readonly extraEnv: Record<string, string> = {}) {
    writeFileSync(this.statePath, JSON.stringify(state));
    writeFileSync(this.logPath, "");
  }

  env(path = FAKE_BIN): Record<string, string> {
    return {
      PATH: path, FAKE_CLI_BUN: process.execPath, FAKE_CLI_STATE: this.statePath, FAKE_CLI_LOG: this.logPath,
      HOME: this.dir, ...this.extraEnv,
    };
  }

  fetch(adapter: string, secrets: string[], options: { account?: string; from?: string; path?: string } = {}): Record<string, string> {
    const text = secretsFetch({ adapter, secrets, account: options.account, from: options.from }, { env: this.env(options.path), cwd: this.dir });
    return JSON.parse(text);
  }

  /** Every call as `cli arg arg ...` (args joined by single spaces; tests use args without spaces unless noted). */
  calls(): string[] {
    return this.rawCalls().map((c) => [c.cli, ...c.args].join(" "));
  }

  rawCalls(): LoggedCall[] {
    return readFileSync(this.logPath, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  }

  state<T = any>(cli: string): T {
    return JSON.parse(readFileSync(this.statePath, "utf8"))[cli];
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Where kamal-proxy keeps its control socket and its state (kamal-proxy's config.go rules).
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Env = Record<string, string | undefined>;

function goTempDir(env: Env): string {
  return env.TMPDIR && env.TMPDIR !== "" ? env.TMPDIR : "/tmp";
}

/** `$KAMAL_PROXY_SOCKET`, else `$XDG_RUNTIME_DIR/kamal-proxy.sock`, else `<tmp>/kamal-proxy.sock`. */
export function socketPath(env: Env): string {
  if (env.KAMAL_PROXY_SOCKET) return env.KAMAL_PROXY_SOCKET;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, "kamal-proxy.sock");
  return join(goTempDir(env), "kamal-proxy.sock");
}

/** `$HOME/.config/kamal-proxy` (created 0700), falling back to the temp dir. */
export function dataDir(env: Env): string {
  if (env.HOME) {
    const dir = join(env.HOME, ".config", "kamal-proxy");
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return dir;
    } catch {
      // fall through to the temp dir, as kamal-proxy does
    }
  }
  return env.TMPDIR ? goTempDir(env) : tmpdir();
}

export function stateFilePath(env: Env): string {
  return join(dataDir(env), "kamal-proxy.state");
}

export function defaultAcmeCachePath(env: Env): string {
  return join(dataDir(env), "certs");
}

// Which Linux kamal executable the kamal-proxy image for a host is written from. The image must hold an executable of
// the host's architecture (`uname -m` there), so candidates are checked by their ELF header, in this order:
//   1. KAMAL_PROXY_EXECUTABLE: one path, or several separated by ":" (e.g. an x64 and an arm64 build);
//   2. the running executable, when it is a compiled kamal;
//   3. kamal-linux-<x64|arm64> beside the running executable (where scripts/install.sh puts the extra architecture).
// The first one of the right architecture whose shared libraries are known here wins (libraries: `ldd`, so only an
// executable that can run on this machine qualifies; a foreign one is reported, not used).
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";
import { linkedLibraries } from "./proxy-image.ts";

export const PROXY_EXECUTABLE_ENV = "KAMAL_PROXY_EXECUTABLE";

/** Docker's architecture name for `uname -m` output (x86_64 -> amd64, aarch64 -> arm64). */
export function dockerArchitectureOfMachine(machine: string): string {
  const m = machine.trim();
  if (m === "x86_64" || m === "amd64") return "amd64";
  if (m === "aarch64" || m === "arm64" || m === "armv8l") return "arm64";
  return m;
}

/** Release file name part of an architecture (scripts/build.ts: kamal-linux-x64, kamal-linux-arm64). */
const releaseArch = (arch: string): string => (arch === "amd64" ? "x64" : arch);

/** Docker architecture of a Linux ELF executable (64-bit little-endian), or undefined for anything else. */
export async function elfArchitecture(path: string): Promise<string | undefined> {
  let file;
  try {
    file = await open(path, "r");
    const head = Buffer.alloc(20);
    const { bytesRead } = await file.read(head, 0, 20, 0);
    if (bytesRead < 20 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return undefined;
    return ({ 0x3e: "amd64", 0xb7: "arm64" } as Record<number, string>)[head.readUInt16LE(18)];
  } catch {
    return undefined;
  } finally {
    await file?.close();
  }
}

export interface ExecutableProcess {
  /** process.execPath */
  execPath: string;
  /** process.argv[1]: `/$bunfs/...` in a compiled kamal. */
  argv1: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

export const currentProcess = (): ExecutableProcess => ({ execPath: process.execPath, argv1: process.argv[1], env: process.env });

const isCompiled = (p: ExecutableProcess): boolean => p.argv1 !== undefined && (p.argv1.startsWith("/$bunfs/") || p.argv1.startsWith("B:/~BUN/"));

/** Candidate paths for an architecture, in order of preference. */
export function executableCandidates(p: ExecutableProcess, arch: string): string[] {
  const fromEnv = (p.env[PROXY_EXECUTABLE_ENV] ?? "").split(":").filter((x) => x !== "");
  if (!isCompiled(p)) return fromEnv;
  const dir = dirname(p.execPath);
  return [...fromEnv, p.execPath, join(dir, `kamal-linux-${releaseArch(arch)}`)];
}

export type ExecutableChoice =
  | { found: true; path: string; libraries: string[] }
  | { found: false; reason: string };

/** The executable to write the image for `arch` from, or why there is none. */
export async function proxyExecutableFor(p: ExecutableProcess, arch: string): Promise<ExecutableChoice> {
  const candidates = executableCandidates(p, arch);
  const skipped: string[] = [];
  for (const path of candidates) {
    if ((await elfArchitecture(path)) !== arch) continue;
    try {
      return { found: true, path, libraries: await linkedLibraries(path) };
    } catch {
      skipped.push(`${path} (its shared libraries can't be listed on this machine)`);
    }
  }
  const looked = candidates.length === 0 ? `nothing to look at (set ${PROXY_EXECUTABLE_ENV})` : `looked at ${candidates.join(", ")}`;
  return { found: false, reason: `no Linux ${arch} kamal executable to write the kamal-proxy image from (${skipped.length > 0 ? skipped.join("; ") : looked})` };
}

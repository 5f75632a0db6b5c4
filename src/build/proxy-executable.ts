// Which Linux kamal executable the kamal-proxy image for a host is written from. The image must hold an executable of
// the host's architecture (`uname -m` there), so candidates are checked by their ELF header, in this order:
//   1. KAMAL_PROXY_EXECUTABLE: one path, or several separated by ":" (e.g. an x64 and an arm64 build);
//   2. the running executable, when it is a compiled kamal;
//   3. kamal-linux-<x64|arm64> beside the running executable (where scripts/install.sh puts the extra architecture).
// The first one of the right architecture whose shared libraries are known here wins: a static executable, or a
// dynamic one `ldd` can list (so one this machine can run); a foreign dynamic one is reported, not used.
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

export interface ElfExecutable {
  /** Docker architecture name. */
  architecture: string;
  /** The program interpreter (PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2); undefined for a static executable. */
  interpreter?: string;
}

const PT_INTERP = 3;

/** Architecture and interpreter of a Linux ELF executable (64-bit little-endian), or undefined for anything else. */
export async function readElf(path: string): Promise<ElfExecutable | undefined> {
  let file;
  try {
    file = await open(path, "r");
    const head = Buffer.alloc(64);
    const { bytesRead } = await file.read(head, 0, 64, 0);
    if (bytesRead < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return undefined;
    const architecture = ({ 0x3e: "amd64", 0xb7: "arm64" } as Record<number, string>)[head.readUInt16LE(18)];
    if (architecture === undefined) return undefined;
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    const table = Buffer.alloc(phentsize * phnum);
    await file.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) {
      const entry = i * phentsize;
      if (table.readUInt32LE(entry) !== PT_INTERP) continue;
      const offset = Number(table.readBigUInt64LE(entry + 8));
      const size = Number(table.readBigUInt64LE(entry + 32));
      const interp = Buffer.alloc(size);
      await file.read(interp, 0, size, offset);
      return { architecture, interpreter: interp.toString("latin1").replace(/\0.*$/s, "") };
    }
    return { architecture };
  } catch {
    return undefined;
  } finally {
    await file?.close();
  }
}

/** Docker architecture of a Linux ELF executable, or undefined for anything else. */
export const elfArchitecture = async (path: string): Promise<string | undefined> => (await readElf(path))?.architecture;

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
    const elf = await readElf(path);
    if (elf?.architecture !== arch) continue;
    if (elf.interpreter === undefined) return { found: true, path, libraries: [] };
    const libraries = await linkedLibraries(path).catch((): string[] => []);
    // ldd lists the interpreter only for an executable this machine can run; a foreign one's libraries are unknown here.
    if (libraries.includes(elf.interpreter)) return { found: true, path, libraries };
    skipped.push(`${path} (its shared libraries can't be listed on this machine)`);
  }
  const looked = candidates.length === 0 ? `nothing to look at (set ${PROXY_EXECUTABLE_ENV})` : `looked at ${candidates.join(", ")}`;
  return { found: false, reason: `no Linux ${arch} kamal executable to write the kamal-proxy image from (${skipped.length > 0 ? skipped.join("; ") : looked})` };
}

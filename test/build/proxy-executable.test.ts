import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerArchitectureOfMachine, elfArchitecture, executableCandidates, proxyExecutableFor, readElf } from "../../src/build/proxy-executable.ts";

const dir = mkdtempSync(join(tmpdir(), "proxy-executable-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file with an ELF header (64-bit little-endian, e_machine as given) and, if given, a PT_INTERP program header. */
function elfHeader(name: string, machine: number, interpreter?: string): string {
  const file = Buffer.alloc(256);
  file.writeUInt32BE(0x7f454c46, 0);
  file[4] = 2;
  file[5] = 1;
  file.writeUInt16LE(machine, 18);
  file.writeBigUInt64LE(64n, 32); // e_phoff
  file.writeUInt16LE(56, 54); // e_phentsize
  file.writeUInt16LE(interpreter === undefined ? 0 : 1, 56); // e_phnum
  if (interpreter !== undefined) {
    file.writeUInt32LE(3, 64); // PT_INTERP
    file.writeBigUInt64LE(160n, 64 + 8); // p_offset
    file.writeBigUInt64LE(BigInt(interpreter.length + 1), 64 + 32); // p_filesz
    file.write(interpreter, 160, "latin1");
  }
  writeFileSync(join(dir, name), file);
  return join(dir, name);
}

// A real Linux executable of this machine: the Bun runtime running this test.
const bun = realpathSync(process.execPath);

describe("the executable a kamal-proxy image is written from", () => {
  test("uname -m to docker architecture", () => {
    expect(dockerArchitectureOfMachine("x86_64\n")).toBe("amd64");
    expect(dockerArchitectureOfMachine("aarch64")).toBe("arm64");
    expect(dockerArchitectureOfMachine("arm64")).toBe("arm64");
    expect(dockerArchitectureOfMachine("riscv64")).toBe("riscv64");
  });

  test("ELF header architecture; anything else is undefined", async () => {
    expect(await elfArchitecture(elfHeader("arm", 0xb7))).toBe("arm64");
    expect(await elfArchitecture(elfHeader("x64", 0x3e))).toBe("amd64");
    writeFileSync(join(dir, "macho"), Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]));
    expect(await elfArchitecture(join(dir, "macho"))).toBeUndefined();
    expect(await elfArchitecture(join(dir, "missing"))).toBeUndefined();
    expect(await elfArchitecture(bun)).toBe(process.arch === "arm64" ? "arm64" : "amd64");
  });

  test("candidates: KAMAL_PROXY_EXECUTABLE (colon list), then a compiled kamal itself and kamal-linux-<arch> beside it", () => {
    const env = { KAMAL_PROXY_EXECUTABLE: "/opt/a:/opt/b" };
    expect(executableCandidates({ execPath: "/usr/bin/bun", argv1: "/app/src/main.ts", env }, "arm64")).toEqual(["/opt/a", "/opt/b"]);
    expect(executableCandidates({ execPath: "/usr/local/bin/kamal", argv1: "/$bunfs/root/kamal", env: {} }, "arm64"))
      .toEqual(["/usr/local/bin/kamal", "/usr/local/bin/kamal-linux-arm64"]);
    expect(executableCandidates({ execPath: "/usr/local/bin/kamal", argv1: "/$bunfs/root/kamal", env: {} }, "amd64"))
      .toEqual(["/usr/local/bin/kamal", "/usr/local/bin/kamal-linux-x64"]);
  });

  test("the first candidate of the host's architecture wins; none gives the reason", async () => {
    const arm = elfHeader("kamal-arm", 0xb7, "/lib/ld-linux-aarch64.so.1");
    const here = process.arch === "arm64" ? "arm64" : "amd64";
    const env = { KAMAL_PROXY_EXECUTABLE: `${arm}:${bun}` };
    const found = await proxyExecutableFor({ execPath: bun, argv1: "src/main.ts", env }, here);
    expect(found).toMatchObject({ found: true, path: bun });
    if (found.found) expect(found.libraries.some((l) => l.includes("libc"))).toBe(true);

    const other = here === "amd64" ? "riscv64" : "amd64";
    expect(await proxyExecutableFor({ execPath: bun, argv1: "src/main.ts", env }, other))
      .toEqual({ found: false, reason: `no Linux ${other} kamal executable to write the kamal-proxy image from (looked at ${arm}, ${bun})` });
    expect(await proxyExecutableFor({ execPath: bun, argv1: "src/main.ts", env: {} }, here))
      .toEqual({ found: false, reason: `no Linux ${here} kamal executable to write the kamal-proxy image from (nothing to look at (set KAMAL_PROXY_EXECUTABLE))` });
  });

  test("interpreter of a dynamic executable; a static one has none and needs no libraries", async () => {
    expect(await readElf(elfHeader("dyn", 0xb7, "/lib/ld-linux-aarch64.so.1"))).toEqual({ architecture: "arm64", interpreter: "/lib/ld-linux-aarch64.so.1" });
    expect((await readElf(bun))?.interpreter).toMatch(/^\/lib.*\/ld-linux/);
    const arm = elfHeader("static-arm64", 0xb7);
    expect(await proxyExecutableFor({ execPath: bun, argv1: "src/main.ts", env: { KAMAL_PROXY_EXECUTABLE: arm } }, "arm64"))
      .toEqual({ found: true, path: arm, libraries: [] });
  });

  test("a foreign dynamic executable whose libraries can't be listed here is reported, not used", async () => {
    if (process.arch !== "x64") return;
    const arm = elfHeader("kamal-linux-arm64", 0xb7, "/lib/ld-linux-aarch64.so.1");
    const r = await proxyExecutableFor({ execPath: bun, argv1: "src/main.ts", env: { KAMAL_PROXY_EXECUTABLE: arm } }, "arm64");
    expect(r).toEqual({ found: false, reason: `no Linux arm64 kamal executable to write the kamal-proxy image from (${arm} (its shared libraries can't be listed on this machine))` });
  });
});

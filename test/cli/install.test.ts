// scripts/install.sh against file:// and a loopback HTTP server, with a stand-in release asset.
import { afterAll, describe, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const INSTALLER = resolve(import.meta.dir, "../../scripts/install.sh");
const work = mkdtempSync(join(tmpdir(), "kamal-install-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ASSET = "#!/bin/sh\necho 9.9.9-test\n";
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

function release(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

function install(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile("sh", [INSTALLER], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, ...env } }, (err, _out, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe("install.sh", () => {
  test("file:// release with a matching .sha256: installs kamal and the kamal-proxy symlink", async () => {
    const base = release("rel1", { "kamal-linux-x64": ASSET, "kamal-linux-x64.sha256": `${sha(ASSET)}  kamal-linux-x64\n` });
    const dir = join(work, "bin1");
    const r = await install({ KAMAL_INSTALL_BASE_URL: `file://${base}`, KAMAL_INSTALL_DIR: dir, KAMAL_INSTALL_TARGET: "linux-x64" });
    expect(r.stderr).toContain(`Checksum verified (${sha(ASSET)})`);
    expect(r.stderr).toContain(`Installed kamal 9.9.9-test to ${dir}/kamal`);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "kamal"), "utf8")).toBe(ASSET);
    expect(readlinkSync(join(dir, "kamal-proxy"))).toBe("kamal");
  });

  test("checksum mismatch: fails and installs nothing", async () => {
    const base = release("rel2", { "kamal-linux-x64": ASSET, "kamal-linux-x64.sha256": `${"0".repeat(64)}  kamal-linux-x64\n` });
    const dir = join(work, "bin2");
    const r = await install({ KAMAL_INSTALL_BASE_URL: `file://${base}`, KAMAL_INSTALL_DIR: dir, KAMAL_INSTALL_TARGET: "linux-x64" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("checksum mismatch for kamal-linux-x64");
    expect(existsSync(join(dir, "kamal"))).toBe(false);
  });

  test("HTTP on loopback, target detected from uname, no .sha256 published", async () => {
    const base = release("rel3", { "kamal-darwin-arm64": ASSET });
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (req) => {
        const file = join(base, new URL(req.url).pathname.replace("/releases/", ""));
        return existsSync(file) ? new Response(readFileSync(file)) : new Response("not found", { status: 404 });
      },
    });
    try {
      // uname stand-in: pretend to be an Apple Silicon Mac.
      const fakeBin = join(work, "fakebin");
      mkdirSync(fakeBin, { recursive: true });
      writeFileSync(join(fakeBin, "uname"), '#!/bin/sh\ncase "$1" in -s) echo Darwin ;; -m) echo arm64 ;; esac\n');
      chmodSync(join(fakeBin, "uname"), 0o755);
      const dir = join(work, "bin3");
      const r = await install({
        KAMAL_INSTALL_BASE_URL: `http://127.0.0.1:${server.port}/releases/`, KAMAL_INSTALL_DIR: dir,
        PATH: `${fakeBin}:${process.env.PATH}`,
      });
      expect(r.stderr).toContain(`Downloading http://127.0.0.1:${server.port}/releases/kamal-darwin-arm64`);
      expect(r.stderr).toContain("No kamal-darwin-arm64.sha256 published; checksum not verified");
      expect(r.stderr).toContain(`is not in your PATH`);
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, "kamal"), "utf8")).toBe(ASSET);
    } finally {
      server.stop(true);
    }
  });

  test("a missing asset is one clear error", async () => {
    const base = release("rel4", {});
    const r = await install({ KAMAL_INSTALL_BASE_URL: `file://${base}`, KAMAL_INSTALL_DIR: join(work, "bin4"), KAMAL_INSTALL_TARGET: "linux-arm64" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`kamal install: could not download file://${base}/kamal-linux-arm64`);
  });
});

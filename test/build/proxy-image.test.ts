import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  DEFAULT_PROXY_IMAGE_TAGS, PROXY_COMPAT_VERSION, PROXY_USER, dockerArchitecture, linkedLibraries, parseLddOutput, writeProxyImage, type ProxyImage,
} from "../../src/build/proxy-image.ts";
import { splitTarPath, tarHeader } from "../../src/build/tar.ts";

const REPO = resolve(import.meta.dirname, "../..");
let dir: string;
let image: ProxyImage;
const binary = "/usr/bin/true";

/** `tar -tv --numeric-owner` lines of an archive (GNU tar reads our output: proof the format is right). */
function listing(archive: string): string[] {
  return execFileSync("tar", ["-tvf", archive, "--numeric-owner"], { encoding: "utf8" }).trim().split("\n");
}
const entryFor = (lines: string[], path: string) => lines.find((l) => l.endsWith(` ${path}`) || l.includes(` ${path} -> `));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "proxy-image-test-"));
  image = await writeProxyImage({ binaryPath: binary, outputPath: join(dir, "image.tar"), created: new Date("2026-01-02T03:04:05Z") });
  mkdirSync(join(dir, "x"));
  execFileSync("tar", ["-xf", join(dir, "image.tar"), "-C", join(dir, "x")]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ldd parsing", () => {
  test("takes the resolved paths and the interpreter, skips the vdso", () => {
    const out = "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n" +
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f)\n";
    expect(parseLddOutput(out)).toEqual(["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libm.so.6"]);
  });

  test("a real dynamic binary links libc", async () => {
    expect((await linkedLibraries(binary)).some((p) => p.includes("libc.so"))).toBe(true);
  });
});

describe("tar headers", () => {
  test("long paths go to the prefix field; checksum and magic are ustar's", () => {
    const long = `${"a".repeat(120)}/file.txt`;
    expect(splitTarPath(long)).toEqual({ prefix: "a".repeat(120), name: "file.txt" });
    const header = tarHeader("etc/passwd", "0", 10, { mode: 0o644, mtime: 1 });
    expect(header.length).toBe(512);
    expect(header.subarray(257, 263).toString()).toBe("ustar\0");
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
    expect(parseInt(header.subarray(148, 155).toString(), 8)).toBe(sum);
    expect(() => splitTarPath("b".repeat(300))).toThrow("path too long");
  });
});

describe("image archive", () => {
  test("docker save layout: manifest with tags, config named by its digest, one layer named by its diff id", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "x/manifest.json"), "utf8"));
    expect(manifest).toHaveLength(1);
    expect(manifest[0].RepoTags).toEqual(DEFAULT_PROXY_IMAGE_TAGS);
    expect(manifest[0].RepoTags).toContain("basecamp/kamal-proxy:v0.9.2");
    const configText = readFileSync(join(dir, "x", manifest[0].Config), "utf8");
    expect(`sha256:${createHash("sha256").update(configText).digest("hex")}`).toBe(image.imageId);
    expect(manifest[0].Config).toBe(`${image.imageId.slice(7)}.json`);
    const layer = readFileSync(join(dir, "x", manifest[0].Layers[0]));
    const config = JSON.parse(configText);
    expect(config.rootfs).toEqual({ type: "layers", diff_ids: [`sha256:${createHash("sha256").update(layer).digest("hex")}`] });
    expect(config.architecture).toBe(dockerArchitecture());
    expect(config.os).toBe("linux");
    expect(config.config.Cmd).toEqual(["kamal-proxy", "run"]);
    expect(config.config.User).toBe("kamal-proxy");
    expect(config.config.Env).toContain("BUN_CONFIG_DNS_TIME_TO_LIVE_SECONDS=0");
    expect(config.config.Labels["org.opencontainers.image.title"]).toBe("kamal-proxy");
    expect(Object.keys(config.config.ExposedPorts)).toEqual(["80/tcp", "443/tcp"]);
    const repositories = JSON.parse(readFileSync(join(dir, "x/repositories"), "utf8"));
    expect(repositories["basecamp/kamal-proxy"]).toEqual({ "v0.9.2": image.layerDiffId.slice(7) });
    expect(statSync(join(dir, "image.tar")).size).toBe(image.archiveSize);
  });

  test("the layer holds the binary, its libraries, users and an owned home", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "x/manifest.json"), "utf8"));
    const lines = listing(join(dir, "x", manifest[0].Layers[0]));
    const bin = entryFor(lines, "usr/local/bin/kamal-proxy")!;
    expect(bin).toStartWith("-rwxr-xr-x 0/0");
    expect(bin).toContain(` ${statSync(binary).size} `);
    for (const library of image.libraries) expect(entryFor(lines, library.slice(1))).toStartWith("-rwxr-xr-x 0/0");
    expect(image.libraries.length).toBeGreaterThan(0);
    const uid = `${PROXY_USER.uid}/${PROXY_USER.gid}`;
    expect(entryFor(lines, "home/kamal-proxy/")).toStartWith(`drwxr-xr-x ${uid}`);
    expect(entryFor(lines, "home/kamal-proxy/.config/kamal-proxy/")).toStartWith(`drwx------ ${uid}`);
    expect(entryFor(lines, "tmp/")).toStartWith("drwxrwxrwt 0/0");
    expect(lines.filter((l) => l.endsWith(" etc/")).length).toBe(1);
    mkdirSync(join(dir, "layer"));
    execFileSync("tar", ["-xf", join(dir, "x", manifest[0].Layers[0]), "-C", join(dir, "layer")]);
    expect(readFileSync(join(dir, "layer/etc/passwd"), "utf8")).toContain("kamal-proxy:x:1000:1000::/home/kamal-proxy:");
    expect(readFileSync(join(dir, "layer/etc/group"), "utf8")).toContain("kamal-proxy:x:1000:");
    expect(readFileSync(join(dir, "layer/usr/local/bin/kamal-proxy")).equals(readFileSync(binary))).toBe(true);
  });

  test("the same binary and time give the same image", async () => {
    const again = await writeProxyImage({ binaryPath: binary, outputPath: join(dir, "again.tar"), created: new Date("2026-01-02T03:04:05Z") });
    expect(again.imageId).toBe(image.imageId);
    expect(again.layerDiffId).toBe(image.layerDiffId);
  });
});

/** True when a docker daemon answers (the testbed starts one; nothing is started here). */
function dockerRunning(): boolean {
  return spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 10_000 }).status === 0;
}

describe.skipIf(!dockerRunning())("with a docker daemon", () => {
  const tag = `kamal-ts-test/kamal-proxy:v0.9.2-test${process.pid}`;
  afterAll(() => { spawnSync("docker", ["image", "rm", "--force", tag]); });

  test("docker load accepts the image built from the real kamal binary, and kamal-proxy runs in it", async () => {
    const compiled = join(dir, "kamal");
    execFileSync(join(REPO, "node_modules/.bin/bun"), ["build", "--compile", join(REPO, "src/main.ts"), "--outfile", compiled], { stdio: "pipe" });
    const real = await writeProxyImage({ binaryPath: compiled, outputPath: join(dir, "real.tar"), tags: [tag] });
    const load = spawnSync("docker", ["load", "-i", join(dir, "real.tar")], { encoding: "utf8" });
    expect(load.stderr).toBe("");
    expect(load.stdout).toContain(tag);
    const inspect = JSON.parse(execFileSync("docker", ["image", "inspect", tag], { encoding: "utf8" }))[0];
    expect(inspect.Id).toBe(real.imageId);
    expect(inspect.Config.User).toBe("kamal-proxy");
    expect(inspect.Config.Cmd).toEqual(["kamal-proxy", "run"]);
    expect(inspect.Config.Labels["org.opencontainers.image.title"]).toBe("kamal-proxy");
    // The binary starts as kamal-proxy (libraries and loader resolve) and reports the version the image is tagged with.
    const run = spawnSync("docker", ["run", "--rm", tag, "kamal-proxy", "version"], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(PROXY_COMPAT_VERSION);
    const tagCheck = execFileSync("docker", ["image", "inspect", tag, "--format", "{{.RepoTags}}"], { encoding: "utf8" });
    expect(tagCheck).toContain(tag);
  }, 180_000);
});

test("symlinked binaries are archived as their target's content", async () => {
  symlinkSync(binary, join(dir, "link"));
  const linked = await writeProxyImage({ binaryPath: join(dir, "link"), outputPath: join(dir, "linked.tar"), libraries: [], created: new Date(0) });
  expect(linked.libraries).toEqual([]);
  const lines = listing(join(dir, "linked.tar"));
  expect(lines.some((l) => l.endsWith("layer.tar"))).toBe(true);
});

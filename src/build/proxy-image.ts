// Writes the kamal-proxy docker image as a `docker load` archive, without pulling any base image: one layer with
// the compiled kamal executable as /usr/local/bin/kamal-proxy, the shared libraries it links (found with ldd),
// /etc/passwd and /etc/group with user kamal-proxy, and its home (incl. the config dir Kamal mounts a volume on).
// Image config as kamal-proxy's: CMD ["kamal-proxy","run"], USER kamal-proxy, EXPOSE 80 443, label
// org.opencontainers.image.title=kamal-proxy (Kamal prunes by it), tagged with a version Kamal's check accepts.
//
//   bun src/build/proxy-image.ts <kamal-binary> <out.tar> [tag ...]     then: docker load -i <out.tar>
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { TarWriter, type TarEntryMeta } from "./tar.ts";
import { PROXY_VERSION } from "../version.ts";

/** kamal-proxy version this proxy is compatible with (Kamal refuses older tags). */
export const PROXY_COMPAT_VERSION = PROXY_VERSION;
export const DEFAULT_PROXY_IMAGE_TAGS = [`basecamp/kamal-proxy:${PROXY_COMPAT_VERSION}`, `kamal-ts/kamal-proxy:${PROXY_COMPAT_VERSION}`];
export const PROXY_USER = { name: "kamal-proxy", uid: 1000, gid: 1000, home: "/home/kamal-proxy" };
export const PROXY_BINARY_PATH = "/usr/local/bin/kamal-proxy";
const IMAGE_ENV = [
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  // Bun caches DNS answers for 30 s. Targets are container ids resolved by Docker's DNS; a stopped container's name
  // must fail at once (-> 502, as kamal-proxy answers) instead of dialling its old address until the target timeout (504).
  "BUN_CONFIG_DNS_TIME_TO_LIVE_SECONDS=0",
];

export interface ProxyImageOptions {
  /** The compiled kamal executable (`bun build --compile src/main.ts`). */
  binaryPath: string;
  /** Where to write the archive. */
  outputPath: string;
  tags?: string[];
  /** Shared libraries to include (absolute paths as the dynamic linker looks them up); default: from `ldd binaryPath`. */
  libraries?: string[];
  /** Docker architecture name; default from the running process (x64 -> amd64). */
  architecture?: string;
  /** Image creation time; default the binary's mtime, so the same binary gives the same image. */
  created?: Date;
}

export interface ProxyImage {
  tags: string[];
  /** `sha256:<hex>` of the config JSON = the image ID docker shows. */
  imageId: string;
  layerDiffId: string;
  libraries: string[];
  archiveSize: number;
}

/** Library paths from ldd output: `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` and `/lib64/ld-linux-x86-64.so.2 (0x…)`. */
export function parseLddOutput(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split("\n")) {
    const arrow = /=>\s*(\/\S+)/.exec(line);
    const direct = /^\s*(\/\S+)\s+\(0x/.exec(line);
    const path = arrow?.[1] ?? direct?.[1];
    if (path && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** The shared libraries a binary links (none for a static binary). */
export async function linkedLibraries(binaryPath: string): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)("ldd", [binaryPath], { encoding: "utf8" });
    return parseLddOutput(stdout);
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}`;
    if (/not a dynamic executable|statically linked/.test(output)) return [];
    throw new Error(`ldd ${binaryPath} failed: ${output.trim() || (error as Error).message}`);
  }
}

export function dockerArchitecture(nodeArch: string = process.arch): string {
  return ({ x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x" } as Record<string, string>)[nodeArch] ?? nodeArch;
}

export function passwdFile(): string {
  const u = PROXY_USER;
  return `root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n${u.name}:x:${u.uid}:${u.gid}::${u.home}:/sbin/nologin\n`;
}

export function groupFile(): string {
  return `root:x:0:\nnogroup:x:65534:\n${PROXY_USER.name}:x:${PROXY_USER.gid}:\n`;
}

/** Every parent directory of the given absolute paths, outermost first, without the leading slash. */
function parentDirectories(paths: string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.replace(/^\/+/, "").split("/").slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  return [...dirs].sort();
}

async function writeLayer(path: string, options: ProxyImageOptions, libraries: string[], mtime: number): Promise<{ sha256: string }> {
  const tar = await TarWriter.create(path);
  const root: TarEntryMeta = { mtime };
  const user: TarEntryMeta = { mtime, uid: PROXY_USER.uid, gid: PROXY_USER.gid, uname: PROXY_USER.name, gname: PROXY_USER.name };
  const home = PROXY_USER.home.slice(1);
  const rootDirs = parentDirectories([PROXY_BINARY_PATH, "/etc/passwd", `${PROXY_USER.home}/x`, ...libraries]).filter((d) => d !== home);
  for (const dir of rootDirs) await tar.directory(dir, root);
  await tar.directory("tmp", { ...root, mode: 0o1777 });
  await tar.directory(home, { ...user, mode: 0o755 });
  // Kamal mounts the kamal-proxy-config volume here; a new volume copies this owner, so the proxy can save state.
  await tar.directory(`${home}/.config`, { ...user, mode: 0o755 });
  await tar.directory(`${home}/.config/kamal-proxy`, { ...user, mode: 0o700 });
  await tar.directory(`${home}/.apps-config`, { ...user, mode: 0o755 });
  await tar.file("etc/passwd", passwdFile(), root);
  await tar.file("etc/group", groupFile(), root);
  await tar.file("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n", root);
  for (const library of libraries) await tar.fileFrom(library.slice(1), library, { ...root, mode: 0o755 });
  await tar.fileFrom(PROXY_BINARY_PATH.slice(1), options.binaryPath, { ...root, mode: 0o755 });
  return tar.finish();
}

export function imageConfig(diffId: string, architecture: string, created: Date): Record<string, unknown> {
  const createdAt = created.toISOString();
  return {
    architecture,
    os: "linux",
    created: createdAt,
    config: {
      User: PROXY_USER.name,
      Env: IMAGE_ENV,
      Cmd: ["kamal-proxy", "run"],
      WorkingDir: PROXY_USER.home,
      ExposedPorts: { "80/tcp": {}, "443/tcp": {} },
      Labels: {
        "org.opencontainers.image.title": "kamal-proxy",
        "org.opencontainers.image.version": PROXY_COMPAT_VERSION,
        "org.opencontainers.image.description": "kamal-proxy compatible HTTP proxy (kamal-ts, one Bun executable)",
      },
    },
    rootfs: { type: "layers", diff_ids: [diffId] },
    history: [{ created: createdAt, created_by: "kamal-ts src/build/proxy-image.ts" }],
  };
}

/** Writes the image archive; `docker load -i outputPath` then knows every tag. */
export async function writeProxyImage(options: ProxyImageOptions): Promise<ProxyImage> {
  const tags = options.tags ?? DEFAULT_PROXY_IMAGE_TAGS;
  const libraries = options.libraries ?? (await linkedLibraries(options.binaryPath));
  const created = options.created ?? (await stat(options.binaryPath)).mtime;
  const mtime = Math.floor(created.getTime() / 1000);
  const work = await mkdtemp(join(tmpdir(), "proxy-image-"));
  try {
    const layerPath = join(work, "layer.tar");
    const layer = await writeLayer(layerPath, options, libraries, mtime);
    const diffId = `sha256:${layer.sha256}`;
    const configJson = JSON.stringify(imageConfig(diffId, options.architecture ?? dockerArchitecture(), created));
    const configHex = createHash("sha256").update(configJson).digest("hex");
    const layerName = `${layer.sha256}/layer.tar`;
    const manifest = [{ Config: `${configHex}.json`, RepoTags: tags, Layers: [layerName] }];
    const repositories: Record<string, Record<string, string>> = {};
    for (const tag of tags) {
      const colon = tag.lastIndexOf(":");
      (repositories[tag.slice(0, colon)] ??= {})[tag.slice(colon + 1)] = layer.sha256;
    }
    const archive = await TarWriter.create(options.outputPath);
    const meta: TarEntryMeta = { mtime };
    await archive.directory(dirname(layerName), meta);
    await archive.file(`${dirname(layerName)}/VERSION`, "1.0", meta);
    await archive.fileFrom(layerName, layerPath, meta);
    await archive.file(`${configHex}.json`, configJson, meta);
    await archive.file("manifest.json", JSON.stringify(manifest), meta);
    await archive.file("repositories", JSON.stringify(repositories), meta);
    const { size } = await archive.finish();
    return { tags, imageId: `sha256:${configHex}`, layerDiffId: diffId, libraries, archiveSize: size };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const [binaryPath, outputPath, ...tags] = process.argv.slice(2);
  if (!binaryPath || !outputPath) {
    process.stderr.write("usage: bun src/build/proxy-image.ts <kamal-binary> <out.tar> [tag ...]\n");
    process.exit(2);
  }
  const image = await writeProxyImage({ binaryPath, outputPath, tags: tags.length ? tags : undefined });
  process.stdout.write(`${outputPath}: ${image.imageId} ${image.tags.join(" ")} (${image.archiveSize} bytes)\n`);
}

// `registry:3` for the local-registry tests, made here (nothing can be pulled): Debian's docker-registry binary with
// the libraries it links, a config listening on :5000 with storage in /var/lib/registry, and no base image
// (`docker import` of a tiny root filesystem). Kamal's own `docker run ... registry:3` line then works unchanged.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseLddOutput } from "../src/build/proxy-image.ts";
import { must, mustSh, run } from "./testbed/proc.ts";

export const LOCAL_REGISTRY_IMAGE = "registry:3";
const BINARY = "/usr/bin/docker-registry";

const CONFIG = [
  "version: 0.1",
  "log: { level: warn }",
  "storage:",
  "  filesystem: { rootdirectory: /var/lib/registry }",
  "  delete: { enabled: true }",
  'http: { addr: ":5000" }',
  "",
].join("\n");

/** Builds `registry:3` unless the machine has it already. */
export async function ensureLocalRegistryImage(): Promise<void> {
  if ((await run(["docker", "image", "inspect", LOCAL_REGISTRY_IMAGE])).code === 0) return;
  const dir = mkdtempSync(join(tmpdir(), "kamal-registry-image-"));
  try {
    const files = [BINARY, ...parseLddOutput(await must(["ldd", BINARY]))];
    for (const file of files) {
      const target = join(dir, file === BINARY ? "bin/registry" : file);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
      chmodSync(target, 0o755);
    }
    mkdirSync(join(dir, "etc/distribution"), { recursive: true });
    mkdirSync(join(dir, "var/lib/registry"), { recursive: true });
    mkdirSync(join(dir, "tmp"), { recursive: true });
    writeFileSync(join(dir, "etc/distribution/config.yml"), CONFIG);
    await mustSh(
      `tar -C '${dir}' -c . | docker import --change 'ENTRYPOINT ["/bin/registry"]' --change 'CMD ["serve","/etc/distribution/config.yml"]' ` +
        `--change 'EXPOSE 5000' --change 'VOLUME ["/var/lib/registry"]' - '${LOCAL_REGISTRY_IMAGE}'`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

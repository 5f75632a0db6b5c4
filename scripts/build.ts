// Compiles src/main.ts into one self-contained executable with `Bun.build({ compile })`.
//   bun scripts/build.ts            -> dist/kamal (this machine's platform)
//   bun scripts/build.ts --all      -> also dist/kamal-<os>-<arch>[-musl] for every release target (+ .sha256)
//   bun scripts/build.ts --target linux-arm64   -> just that one
// The Kamal-compatible build version (package.json version + git short sha) is injected with `define`;
// the binary does not read .env or bunfig.toml from the directory it runs in (autoload disabled).
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const RELEASE_TARGETS = ["linux-x64", "linux-x64-musl", "linux-arm64", "darwin-x64", "darwin-arm64"] as const;
export type ReleaseTarget = (typeof RELEASE_TARGETS)[number];

const ROOT = resolve(import.meta.dir, "..");

export function buildVersion(root = ROOT): string {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return sha ? `${pkg.version}+${sha}` : pkg.version;
  } catch {
    return pkg.version;
  }
}

export async function compile(outfile: string, version: string, target?: ReleaseTarget): Promise<void> {
  const result = await Bun.build({
    entrypoints: [join(ROOT, "src/main.ts")],
    compile: {
      ...(target ? { target: `bun-${target}` as Bun.Build.CompileTarget } : {}),
      outfile,
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    minify: true,
    // -v stack traces name src/ files and lines: the source map is embedded in the executable.
    sourcemap: "linked",
    // Separate chunks for dynamic imports: `kamal version` does not load the proxy's or the config's modules
    // (and the node:net/tls/http/crypto built-ins they import), which halves its start-up time.
    splitting: true,
    // Precompiled JavaScriptCore bytecode (ESM) next to the source: no parsing at start-up (`kamal config`
    // 60 -> 25 ms here). Bun falls back to the embedded source if the bytecode is rejected.
    bytecode: true,
    format: "esm",
    define: { KAMAL_BUILD_VERSION: JSON.stringify(version) },
  });
  if (!result.success) {
    throw new Error(`build of ${outfile} failed:\n${result.logs.map((l) => String(l)).join("\n")}`);
  }
  // The maps are embedded in the executable; the copies written beside it are not needed.
  for (const out of result.outputs) if (out.path.endsWith(".map")) rmSync(out.path, { force: true });
}

function writeChecksum(file: string): void {
  const digest = createHash("sha256").update(readFileSync(file)).digest("hex");
  writeFileSync(`${file}.sha256`, `${digest}  ${file.split("/").pop()}\n`);
}

async function main(argv: string[]): Promise<void> {
  const outdir = resolve(argv.includes("--outdir") ? argv[argv.indexOf("--outdir") + 1] : join(ROOT, "dist"));
  mkdirSync(outdir, { recursive: true });
  const version = buildVersion();
  const only = argv.includes("--target") ? (argv[argv.indexOf("--target") + 1] as ReleaseTarget) : undefined;
  if (only !== undefined && !RELEASE_TARGETS.includes(only)) throw new Error(`unknown target ${only} (one of ${RELEASE_TARGETS.join(", ")})`);
  const targets: ReleaseTarget[] = only ? [only] : argv.includes("--all") ? [...RELEASE_TARGETS] : [];

  if (!only) {
    const started = performance.now();
    await compile(join(outdir, "kamal"), version);
    console.log(`dist/kamal ${version} (${Math.round(performance.now() - started)} ms)`);
  }
  for (const target of targets) {
    const started = performance.now();
    const file = join(outdir, `kamal-${target}`);
    await compile(file, version, target);
    writeChecksum(file);
    console.log(`${file} (${Math.round(performance.now() - started)} ms)`);
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}

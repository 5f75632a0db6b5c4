// Image builder settings (configuration/builder.rb). Arch resolution needs the local docker arch, passed in.
import { createHash } from "node:crypto";
import { join } from "node:path";
import { hashOrEmpty, isHash, optionalString, rubyArray, rubyToS, type RawHash } from "./values.ts";

export type BuilderKind = "hybrid" | "remote" | "pack" | "cloud" | "local";

export interface BuilderContext {
  image?: string;
  registryServer?: string;
  service: string;
  /** Whether the cwd is inside a git work tree (git clone builds need it). */
  gitUsed: () => boolean;
}

export class BuilderConfig {
  readonly raw: RawHash;
  private readonly ctx: BuilderContext;
  constructor(raw: unknown, ctx: BuilderContext) { this.raw = hashOrEmpty(raw); this.ctx = ctx; }

  get remote(): string | undefined { return optionalString(this.raw.remote); }
  get driver(): string { return optionalString(this.raw.driver) ?? "docker-container"; }
  get dockerDriver(): boolean { return this.driver === "docker"; }
  get cloud(): boolean { return this.driver.startsWith("cloud"); }
  get arches(): string[] {
    return "arch" in this.raw ? rubyArray(this.raw.arch).map(rubyToS) : this.dockerDriver ? [] : ["amd64", "arm64"];
  }
  get localDisabled(): boolean { return this.raw.local === false; }
  localArches(dockerArch: () => string): string[] {
    if (this.localDisabled) return [];
    if (this.remote !== undefined) { const arch = dockerArch(); return this.arches.filter((a) => a === arch); }
    return this.arches;
  }
  remoteArches(dockerArch: () => string): string[] {
    if (this.remote === undefined) return [];
    const local = this.localArches(dockerArch);
    return this.arches.filter((a) => !local.includes(a));
  }
  isRemote(dockerArch: () => string): boolean { return this.remoteArches(dockerArch).length > 0; }
  isLocal(dockerArch: () => string): boolean {
    return !this.localDisabled && (this.arches.length === 0 || this.localArches(dockerArch).length > 0);
  }
  /** Which builder Kamal picks (commands/builder.rb#target). */
  kind(dockerArch: () => string): BuilderKind {
    if (this.isRemote(dockerArch)) return this.isLocal(dockerArch) ? "hybrid" : "remote";
    if (this.pack) return "pack";
    if (this.cloud) return "cloud";
    return "local";
  }

  get cached(): boolean { return this.raw.cache !== undefined && this.raw.cache !== null && this.raw.cache !== false; }
  get pack(): boolean { return this.raw.pack !== undefined && this.raw.pack !== null && this.raw.pack !== false; }
  get packBuilder(): string | undefined { return isHash(this.raw.pack) ? optionalString(this.raw.pack.builder) : undefined; }
  get packBuildpacks(): string[] { return isHash(this.raw.pack) ? rubyArray(this.raw.pack.buildpacks).map(rubyToS) : []; }
  /** Build args as written (values are redacted in logs). */
  get args(): RawHash { return hashOrEmpty(this.raw.args); }
  /** Secret names passed as `--secret id=NAME`. */
  get secretKeys(): string[] { return rubyArray(this.raw.secrets).map(rubyToS); }
  get dockerfile(): string { return optionalString(this.raw.dockerfile) ?? "Dockerfile"; }
  get target(): string | undefined { return optionalString(this.raw.target); }
  /** Build context; unset means a git clone build (see gitClone). */
  get context(): string { return optionalString(this.raw.context) ?? "."; }
  get ssh(): string | undefined { return optionalString(this.raw.ssh); }
  get provenance(): string | boolean | undefined { const p = this.raw.provenance; return typeof p === "boolean" ? p : optionalString(p); }
  get sbom(): boolean | undefined { return typeof this.raw.sbom === "boolean" ? this.raw.sbom : undefined; }
  /** Git clone builds are the default whenever the cwd is a git repo and `context` is unset. */
  get gitClone(): boolean { return (this.raw.context === undefined || this.raw.context === null) && this.ctx.gitUsed(); }
  /** `$TMPDIR/kamal-clones/<service>-<sha256(pwd)[0..12]>`. */
  cloneDirectory(tmpdir: string, cwd: string): string {
    const sha = createHash("sha256").update(cwd).digest("hex").slice(0, 13);
    return join(tmpdir, "kamal-clones", `${this.ctx.service}-${sha}`);
  }

  private get cacheConfig(): RawHash { return hashOrEmpty(this.raw.cache); }
  private get cacheType(): string | undefined { return optionalString(this.cacheConfig.type); }
  private get cacheOptions(): string | undefined { return optionalString(this.cacheConfig.options); }
  private get cacheImageRef(): string {
    const image = optionalString(this.cacheConfig.image) ?? `${this.ctx.image}-build-cache`;
    return [this.ctx.registryServer, image].filter((p) => p !== undefined).join("/");
  }
  /** `--cache-from` value, e.g. `type=gha` or `type=registry,ref=<server>/<image>-build-cache`. */
  get cacheFrom(): string | undefined {
    if (!this.cached) return undefined;
    if (this.cacheType === "gha") {
      const allowed = (this.cacheOptions?.split(",") ?? []).filter((o) => /^(url|url_v2|token|scope|timeout)=/.test(o));
      return ["type=gha", ...allowed].join(",");
    }
    if (this.cacheType === "registry") return ["type=registry", `ref=${this.cacheImageRef}`].join(",");
    return undefined;
  }
  /** `--cache-to` value. */
  get cacheTo(): string | undefined {
    if (!this.cached) return undefined;
    const opts = this.cacheOptions !== undefined ? [this.cacheOptions] : [];
    if (this.cacheType === "gha") return ["type=gha", ...opts].join(",");
    if (this.cacheType === "registry") return ["type=registry", `ref=${this.cacheImageRef}`, ...opts].join(",");
    return undefined;
  }
}

// A server role (configuration/role.rb): hosts with tags, env per host, labels, options, logging, proxy, names.
import { Env, type ContainerEnv, type SecretLookup } from "./env.ts";
import { envFileContent } from "./env-file.ts";
import { LoggingConfig } from "./logging.ts";
import { ProxyConfig } from "./proxy.ts";
import { dockerOptionFlags, restartPolicyOf, type DockerOptionFlag } from "./docker-options.ts";
import { hashOrEmpty, isHash, isPresent, optionalNumber, optionalString, rubyArray, rubyToS, type RawHash } from "./values.ts";

/** What a role needs from the whole configuration. */
export interface RoleContext {
  service: string;
  destination?: string;
  primaryRoleName: string;
  rootEnv: Env;
  envTag(name: string): Env | undefined;
  rootLogging: LoggingConfig;
  rootProxy: ProxyConfig;
  rootLabels: RawHash;
  rootAssetPath?: string;
  rootStopTimeout?: number;
  drainTimeout: number;
  envDirectory: string;
  assetsDirectory: string;
}

/** `servers` entries -> ordered host => tags (a repeated host keeps its first position, later tags win). */
export function taggedHostsOf(entries: unknown[]): Map<string, string[]> {
  const tagged = new Map<string, string[]>();
  for (const entry of entries) {
    if (isHash(entry)) {
      const [host, tags] = Object.entries(entry)[0] ?? [];
      if (host !== undefined) tagged.set(host, rubyArray(tags).map(rubyToS));
    } else if (typeof entry === "string") {
      tagged.set(entry, []);
    }
  }
  return tagged;
}

export class Role {
  readonly name: string;
  /** The role's own block (`servers.<name>` when it is a hash; {} for simple host lists). */
  readonly specializations: RawHash;
  readonly taggedHosts: Map<string, string[]>;
  readonly runningProxy: boolean;
  readonly proxy?: ProxyConfig;
  private readonly ctx: RoleContext;

  constructor(name: string, hostEntries: unknown[], specializations: RawHash, ctx: RoleContext) {
    this.name = name;
    this.ctx = ctx;
    this.specializations = specializations;
    this.taggedHosts = taggedHostsOf(hostEntries);
    const proxySpec = specializations.proxy;
    // The primary role runs the proxy unless `proxy: false`; others only with `proxy: true` or a block.
    this.runningProxy = this.primary ? proxySpec !== false : proxySpec !== undefined && proxySpec !== null && proxySpec !== false;
    if (this.runningProxy) {
      const own = new ProxyConfig(isHash(proxySpec) ? proxySpec : {}, name);
      this.proxy = ProxyConfig.mergedForRole(ctx.rootProxy, own, name);
    }
  }

  get hosts(): string[] { return [...this.taggedHosts.keys()]; }
  get primaryHost(): string | undefined { return this.hosts[0]; }
  get primary(): boolean { return this.name === this.ctx.primaryRoleName; }
  tagsOf(host: string): string[] { return this.taggedHosts.get(host) ?? []; }

  /** Raw `cmd`, appended unescaped after the image. */
  get cmd(): string | undefined { return optionalString(this.specializations.cmd); }
  get dockerOptions(): RawHash { return hashOrEmpty(this.specializations.options); }
  get restartPolicy(): string { return restartPolicyOf(this.dockerOptions); }
  /** Options other than `restart`, flattened: `[name, value | true]` in order, arrays repeated. */
  get optionFlags(): DockerOptionFlag[] { return dockerOptionFlags(this.dockerOptions); }

  /** service/role/destination labels + root labels + role labels. Value undefined = bare label (no destination). */
  get labels(): Record<string, string | undefined> {
    const labels: Record<string, string | undefined> = { service: this.ctx.service, role: this.name, destination: this.ctx.destination };
    for (const source of [this.ctx.rootLabels, hashOrEmpty(this.specializations.labels)]) {
      for (const [k, v] of Object.entries(source)) labels[k] = v === false ? "false" : isPresent(v) ? rubyToS(v) : undefined;
    }
    return labels;
  }

  get logging(): LoggingConfig { return this.ctx.rootLogging.merge(new LoggingConfig(this.specializations.logging)); }
  get ssl(): boolean { return this.runningProxy && (this.proxy?.ssl ?? false); }

  get stopTimeout(): number | undefined {
    return optionalNumber(this.specializations.stop_timeout) ?? this.ctx.rootStopTimeout;
  }
  /** `docker stop -t` value: stop_timeout, else drain_timeout for non-proxy roles; none for proxy roles. */
  get stopWaitSeconds(): number | undefined {
    return this.stopTimeout ?? (this.runningProxy ? undefined : this.ctx.drainTimeout);
  }

  /** The role's own env block (no tags). */
  get specializedEnv(): Env { return Env.fromRaw(this.specializations.env); }
  /** root ⊕ role ⊕ the host's tag envs in the order listed on the host (unknown tags ignored). */
  envObjectFor(host: string): Env {
    let env = this.ctx.rootEnv.merge(this.specializedEnv);
    for (const tag of this.tagsOf(host)) {
      const tagEnv = this.ctx.envTag(tag);
      if (tagEnv) env = env.merge(tagEnv);
    }
    return env;
  }
  envFor(host: string): ContainerEnv { return this.envObjectFor(host).toContainerEnv(); }
  /** Contents of this host's secret env file (uploaded to secretsPath, mode 0600). Throws on a missing secret. */
  secretEnvFile(host: string, secrets: SecretLookup): string { return envFileContent(this.envObjectFor(host).secretValues(secrets)); }

  get containerPrefix(): string { return [this.ctx.service, this.name, this.ctx.destination].filter(Boolean).join("-"); }
  containerName(version: string): string { return `${this.containerPrefix}-${version}`; }
  /** Remote env file: `.kamal/apps/<svc[-dest]>/env/roles/<role>.env`. */
  get secretsPath(): string { return `${this.ctx.envDirectory}/roles/${this.name}.env`; }
  get envDirectory(): string { return `${this.ctx.envDirectory}/roles`; }

  private get assetPathParts(): [string, string | undefined] | undefined {
    const raw = optionalString(this.specializations.asset_path) ?? this.ctx.rootAssetPath;
    if (!isPresent(raw)) return undefined;
    const at = raw!.indexOf(":");
    return at === -1 ? [raw!, undefined] : [raw!.slice(0, at), raw!.slice(at + 1)];
  }
  get assetPath(): string | undefined { return this.assetPathParts?.[0]; }
  get assetPathOptions(): string | undefined { return this.assetPathParts?.[1]; }
  /** Asset bridging needs both an asset_path and the proxy. */
  get assets(): boolean { return this.assetPath !== undefined && this.runningProxy; }
  assetExtractedDirectory(version: string): string { return `${this.ctx.assetsDirectory}/extracted/${this.name}-${version}`; }
  assetVolumeDirectory(version: string): string { return `${this.ctx.assetsDirectory}/volumes/${this.name}-${version}`; }
}

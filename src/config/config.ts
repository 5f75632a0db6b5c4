// The derived configuration object (lib/kamal/configuration.rb): names, paths, roles, hosts and sub-configs.
// Pure apart from reading git (lazily) for the version.
import { ConfigurationError } from "../errors.ts";
import { Accessory } from "./accessory.ts";
import { BuilderConfig } from "./builder.ts";
import { Env, envTagsFromRaw, type SecretLookup } from "./env.ts";
import { gitUsed as probeGitUsed, gitVersion as probeGitVersion } from "./git.ts";
import { LoggingConfig } from "./logging.ts";
import { PROXY_APPS_CONTAINER_DIRECTORY, ProxyConfig, type ProxyRun } from "./proxy.ts";
import { RegistryConfig } from "./registry.ts";
import { Role, type RoleContext } from "./role.ts";
import { BootConfig, SshConfig, SshkitConfig } from "./ssh.ts";
import { hashOrEmpty, isHash, isPresent, optionalNumber, optionalString, rubyToS, type RawHash } from "./values.ts";

export interface ConfigOptions {
  destination?: string;
  /** `--version`: wins over $VERSION and git. */
  version?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  secrets: SecretLookup;
  /** Overrides for tests; default: run git in cwd. */
  gitUsed?: () => boolean;
  gitVersion?: (gitCloneBuild: boolean) => string;
}

export type HooksOutputLevel = "quiet" | "verbose";

export class Config {
  readonly raw: RawHash;
  readonly destination?: string;
  readonly secrets: SecretLookup;
  readonly cwd: string;
  readonly roles: Role[];
  readonly accessories: Accessory[];
  readonly registry: RegistryConfig;
  readonly env: Env;
  readonly envTags: Map<string, Env>;
  readonly logging: LoggingConfig;
  readonly proxy: ProxyConfig;
  readonly ssh: SshConfig;
  readonly sshkit: SshkitConfig;
  readonly builder: BuilderConfig;
  private readonly declaredVersion?: string;
  private readonly envVersion?: string;
  private readonly gitUsedProbe: () => boolean;
  private readonly gitVersionProbe: (gitCloneBuild: boolean) => string;
  private memo: { gitUsed?: boolean; gitVersion?: string } = {};
  private readonly options: ConfigOptions;

  constructor(raw: RawHash, opts: ConfigOptions) {
    this.options = opts;
    this.raw = raw;
    this.destination = opts.destination;
    this.secrets = opts.secrets;
    this.cwd = opts.cwd;
    this.declaredVersion = isPresent(opts.version) ? opts.version : undefined;
    this.envVersion = opts.env.VERSION;
    this.gitUsedProbe = opts.gitUsed ?? (() => probeGitUsed(opts.cwd));
    this.gitVersionProbe = opts.gitVersion ?? ((clone) => probeGitVersion(opts.cwd, clone));

    this.env = Env.fromRaw(raw.env);
    this.envTags = envTagsFromRaw(raw.env);
    this.logging = new LoggingConfig(raw.logging);
    this.proxy = new ProxyConfig(raw.proxy);
    this.registry = new RegistryConfig(raw.registry);
    this.roles = this.buildRoles();
    this.accessories = Object.entries(hashOrEmpty(raw.accessories)).map(([name, acc]) => new Accessory(name, acc, {
      service: this.service,
      envDirectory: this.envDirectory,
      roleHosts: (r) => this.role(r)?.hosts,
      rawServers: raw.servers,
    }));
    for (const accessory of this.accessories) {
      const unknown = accessory.unknownRoles();
      if (unknown.length) {
        throw new ConfigurationError(`accessories/${accessory.name}: unknown role${Array.isArray(accessory.raw.roles) ? "s" : ""} ${unknown.join(", ")}`);
      }
    }
    this.builder = new BuilderConfig(raw.builder, {
      image: this.image, registryServer: this.registry.server, service: this.service, gitUsed: () => this.gitUsed,
    });
    this.ssh = new SshConfig(raw.ssh);
    this.sshkit = new SshkitConfig(raw.sshkit);
  }

  private buildRoles(): Role[] {
    const servers = this.raw.servers;
    const ctx: RoleContext = {
      service: this.service,
      destination: this.destination,
      primaryRoleName: this.primaryRoleName,
      rootEnv: this.env,
      envTag: (name) => this.envTags.get(name),
      rootLogging: this.logging,
      rootProxy: this.proxy,
      rootLabels: hashOrEmpty(this.raw.labels),
      rootAssetPath: this.assetPath,
      rootStopTimeout: this.stopTimeout,
      drainTimeout: this.drainTimeout,
      envDirectory: this.envDirectory,
      assetsDirectory: this.assetsDirectory,
    };
    if (Array.isArray(servers)) return [new Role("web", servers, {}, ctx)];
    if (!isHash(servers)) return [];
    return this.roleNames.map((name) => {
      const spec = servers[name];
      if (Array.isArray(spec)) return new Role(name, spec, {}, ctx);
      const block = hashOrEmpty(spec);
      return new Role(name, Array.isArray(block.hosts) ? block.hosts : [], block, ctx);
    });
  }

  // ---- identity and version ----
  get service(): string { return rubyToS(this.raw.service); }
  /** `image`, or the service name with a local registry. */
  get image(): string | undefined {
    const image = isPresent(this.raw.image) ? rubyToS(this.raw.image) : undefined;
    return image ?? (this.registry.local ? this.service : undefined);
  }
  get gitUsed(): boolean { return (this.memo.gitUsed ??= this.gitUsedProbe()); }
  /** `--version`, else $VERSION, else the git version (memoized; `_uncommitted_<hex>` only for non-clone builds). */
  get version(): string {
    if (this.declaredVersion !== undefined) return this.declaredVersion;
    if (this.envVersion !== undefined) return this.envVersion;
    return (this.memo.gitVersion ??= this.gitVersionProbe(this.builder.gitClone));
  }
  /** A copy of this configuration for another app version (Kamal's using_version); this one is left as it is. */
  withVersion(version: string): Config {
    return new Config(this.raw, { ...this.options, version });
  }
  get abbreviatedVersion(): string { return this.version.includes("_") ? this.version : this.version.slice(0, 7); }
  get minimumVersion(): string | undefined { return optionalString(this.raw.minimum_version); }
  get serviceAndDestination(): string { return [this.service, this.destination].filter(Boolean).join("-"); }
  get repository(): string { return [this.registry.server, this.image].filter((p) => p !== undefined).join("/"); }
  get absoluteImage(): string { return `${this.repository}:${this.version}`; }
  get latestTag(): string { return ["latest", this.destination].filter(Boolean).join("-"); }
  get latestImage(): string { return `${this.repository}:${this.latestTag}`; }
  get serviceWithVersion(): string { return `${this.service}-${this.version}`; }

  // ---- roles and hosts ----
  get roleNames(): string[] {
    const servers = this.raw.servers;
    if (Array.isArray(servers)) return ["web"];
    return isHash(servers) ? Object.keys(servers).sort() : [];
  }
  role(name: string): Role | undefined { return this.roles.find((r) => r.name === name); }
  accessory(name: string): Accessory | undefined { return this.accessories.find((a) => a.name === name); }
  get primaryRoleName(): string { return optionalString(this.raw.primary_role) ?? "web"; }
  get primaryRole(): Role | undefined { return this.role(this.primaryRoleName); }
  get primaryHost(): string | undefined { return this.primaryRole?.primaryHost; }
  /** Unique hosts of roles (alphabetical) then accessories, in declaration order. */
  get allHosts(): string[] { return unique([...this.roles, ...this.accessories].flatMap((x) => x.hosts)); }
  get appHosts(): string[] { return unique(this.roles.flatMap((r) => r.hosts)); }
  hostRoles(host: string): Role[] { return this.roles.filter((r) => r.hosts.includes(host)); }
  hostAccessories(host: string): Accessory[] { return this.accessories.filter((a) => a.hosts.includes(host)); }
  get proxyRoles(): Role[] { return this.roles.filter((r) => r.runningProxy); }
  get proxyAccessories(): Accessory[] { return this.accessories.filter((a) => a.runningProxy); }
  get proxyHosts(): string[] {
    return unique([...this.proxyRoles.flatMap((r) => r.hosts), ...this.proxyAccessories.flatMap((a) => a.hosts)]);
  }
  /** The kamal-proxy run configs of everything on a host (all equal after validation); the first one. */
  proxyRunsOn(host: string): ProxyRun[] {
    const proxies = [...this.hostRoles(host).map((r) => r.proxy), ...this.hostAccessories(host).map((a) => a.proxy)];
    return proxies.flatMap((p) => (p?.run ? [p.run] : []));
  }
  proxyRun(host: string): ProxyRun | undefined { return this.proxyRunsOn(host)[0]; }
  get allowEmptyRoles(): boolean { return this.raw.allow_empty_roles === true; }
  get requireDestination(): boolean { return this.raw.require_destination === true; }

  // ---- container settings ----
  get labels(): RawHash { return hashOrEmpty(this.raw.labels); }
  /** Root `volumes:` entries, passed as given to `--volume`. */
  get volumes(): string[] { return Array.isArray(this.raw.volumes) ? this.raw.volumes.map(rubyToS) : []; }
  get assetPath(): string | undefined { return optionalString(this.raw.asset_path); }
  get retainContainers(): number { return optionalNumber(this.raw.retain_containers) ?? 5; }
  get readinessDelay(): number { return optionalNumber(this.raw.readiness_delay) ?? 7; }
  get deployTimeout(): number { return optionalNumber(this.raw.deploy_timeout) ?? 30; }
  get drainTimeout(): number { return optionalNumber(this.raw.drain_timeout) ?? 30; }
  get stopTimeout(): number | undefined { return optionalNumber(this.raw.stop_timeout); }
  get boot(): BootConfig { return new BootConfig(this.raw.boot, this.allHosts.length); }
  get aliases(): Record<string, string> {
    return Object.fromEntries(Object.entries(hashOrEmpty(this.raw.aliases)).map(([k, v]) => [k, rubyToS(v)]));
  }
  /** The raw `output:` block (otel endpoint / file path). */
  get output(): RawHash { return hashOrEmpty(this.raw.output); }

  // ---- local paths ----
  get hooksPath(): string { return optionalString(this.raw.hooks_path) ?? ".kamal/hooks"; }
  get secretsPath(): string { return optionalString(this.raw.secrets_path) ?? ".kamal/secrets"; }
  get errorPagesPath(): string | undefined { return optionalString(this.raw.error_pages_path); }
  /** Hook output visibility for a hook (`quiet`/`verbose`), from `hooks_output` (a level or hook -> level). */
  hooksOutputFor(hook: string): HooksOutputLevel | undefined {
    const setting = this.raw.hooks_output;
    const level = isHash(setting) ? setting[hook] : setting;
    const text = level === undefined || level === null ? undefined : rubyToS(level);
    return text === "quiet" || text === "verbose" ? text : undefined;
  }

  // ---- remote paths (relative to the SSH user's home; run_directory is always .kamal) ----
  get runDirectory(): string { return ".kamal"; }
  get appsDirectory(): string { return `${this.runDirectory}/apps`; }
  get appDirectory(): string { return `${this.appsDirectory}/${this.serviceAndDestination}`; }
  get envDirectory(): string { return `${this.appDirectory}/env`; }
  get assetsDirectory(): string { return `${this.appDirectory}/assets`; }
  get auditLogPath(): string { return `${this.runDirectory}/${this.serviceAndDestination}-audit.log`; }
  get lockDirectory(): string { return `${this.runDirectory}/lock-${this.serviceAndDestination}`; }
  get proxyDirectory(): string { return `${this.runDirectory}/proxy`; }
  get proxyAppsDirectory(): string { return `${this.proxyDirectory}/apps-config`; }
  get proxyAppDirectory(): string { return `${this.proxyAppsDirectory}/${this.serviceAndDestination}`; }
  get errorPagesDirectory(): string { return `${this.proxyAppDirectory}/error_pages`; }
  get tlsDirectory(): string { return `${this.proxyAppDirectory}/tls`; }
  /** Legacy kamal-proxy boot config files (`kamal proxy boot_config`). */
  get proxyOptionsFile(): string { return `${this.proxyDirectory}/options`; }
  get proxyImageFile(): string { return `${this.proxyDirectory}/image`; }
  get proxyImageVersionFile(): string { return `${this.proxyDirectory}/image_version`; }
  get proxyRunCommandFile(): string { return `${this.proxyDirectory}/run_command`; }
  /** Inside the kamal-proxy container. */
  get proxyAppContainerDirectory(): string { return `${PROXY_APPS_CONTAINER_DIRECTORY}/${this.serviceAndDestination}`; }
  get errorPagesContainerDirectory(): string { return `${this.proxyAppContainerDirectory}/error_pages`; }
  get tlsContainerDirectory(): string { return `${this.proxyAppContainerDirectory}/tls`; }
}

function unique<T>(items: T[]): T[] { return [...new Set(items)]; }

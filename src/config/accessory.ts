// An accessory (configuration/accessory.rb): its hosts, image, port, env, files, directories, volumes, proxy.
import { Env, type SecretLookup } from "./env.ts";
import { envFileContent } from "./env-file.ts";
import { ProxyConfig } from "./proxy.ts";
import { RegistryConfig } from "./registry.ts";
import { dockerOptionFlags, restartPolicyOf, type DockerOptionFlag } from "./docker-options.ts";
import { hashOrEmpty, isHash, isPresent, optionalString, rubyToS, type RawHash } from "./values.ts";

export interface AccessoryContext {
  service: string;
  envDirectory: string;
  /** Hosts of a role, or undefined when no such role. */
  roleHosts(role: string): string[] | undefined;
  /** The raw `servers` value, for tag lookups. */
  rawServers: unknown;
}

/** A file or directory mounted into the accessory. */
export interface AccessoryMount {
  /** Local path as written (files; `.erb` files are rendered) or the remote directory to create (directories). */
  local: string;
  /** Path on the host, relative to the SSH user's home unless absolute (e.g. `app-mysql/etc/my.cnf`). */
  hostPath: string;
  containerPath: string;
  options?: string;
  mode?: string;
  owner?: string;
  /** Files only: the local file is an ERB template (name ends in `erb`), rendered with the accessory env. */
  erb?: boolean;
}

const isAbsolute = (path: string) => path.startsWith("/");

export class Accessory {
  readonly name: string;
  readonly raw: RawHash;
  private readonly ctx: AccessoryContext;

  constructor(name: string, raw: unknown, ctx: AccessoryContext) {
    this.name = name;
    this.raw = hashOrEmpty(raw);
    this.ctx = ctx;
  }

  /** Container name and `service` label: `service:` or `<service>-<name>`. */
  get serviceName(): string { return optionalString(this.raw.service) ?? `${this.ctx.service}-${this.name}`; }
  get registry(): RegistryConfig | undefined { return isPresent(this.raw.registry) ? new RegistryConfig(this.raw.registry) : undefined; }
  get image(): string { return [this.registry?.server, optionalString(this.raw.image)].filter((p) => p !== undefined).join("/"); }

  /** Roles named by `role:`/`roles:` that do not exist. */
  unknownRoles(): string[] {
    const names = "roles" in this.raw && Array.isArray(this.raw.roles) ? this.raw.roles.map(rubyToS)
      : "role" in this.raw && isPresent(this.raw.role) ? [rubyToS(this.raw.role)] : [];
    return names.filter((r) => this.ctx.roleHosts(r) === undefined);
  }

  get hosts(): string[] {
    const raw = this.raw;
    if ("host" in raw) return [rubyToS(raw.host)];
    if ("hosts" in raw) return Array.isArray(raw.hosts) ? raw.hosts.map(rubyToS) : [];
    if ("role" in raw) return this.ctx.roleHosts(rubyToS(raw.role)) ?? [];
    if ("roles" in raw) return (Array.isArray(raw.roles) ? raw.roles : []).flatMap((r) => this.ctx.roleHosts(rubyToS(r)) ?? []);
    if ("tag" in raw) return this.hostsWithTag(rubyToS(raw.tag));
    if ("tags" in raw) return (Array.isArray(raw.tags) ? raw.tags : []).flatMap((t) => this.hostsWithTag(rubyToS(t)));
    return [];
  }

  /** Kamal only finds tagged hosts in roles written as simple lists; a string tag matches as a substring. */
  private hostsWithTag(tag: string): string[] {
    const servers = this.ctx.rawServers;
    if (!isHash(servers)) return [];
    return Object.values(servers).flatMap((list) => (Array.isArray(list) ? list : []).flatMap((entry) => {
      if (!isHash(entry)) return [];
      const [host, tags] = Object.entries(entry)[0] ?? [];
      const matches = Array.isArray(tags) ? tags.map(rubyToS).includes(tag) : typeof tags === "string" && tags.includes(tag);
      return host !== undefined && matches ? [host] : [];
    }));
  }

  /** `--publish` value: "3306" -> "3306:3306"; anything with ":" as is. */
  get port(): string | undefined {
    const port = optionalString(this.raw.port);
    if (port === undefined) return undefined;
    return port.includes(":") ? port : `${port}:${port}`;
  }
  get network(): string { return optionalString(this.raw.network) ?? "kamal"; }
  get cmd(): string | undefined { return optionalString(this.raw.cmd); }
  get labels(): Record<string, string | undefined> {
    const labels: Record<string, string | undefined> = { service: this.serviceName };
    for (const [k, v] of Object.entries(hashOrEmpty(this.raw.labels))) labels[k] = v === false ? "false" : isPresent(v) ? rubyToS(v) : undefined;
    return labels;
  }
  get dockerOptions(): RawHash { return hashOrEmpty(this.raw.options); }
  get restartPolicy(): string { return restartPolicyOf(this.dockerOptions); }
  get optionFlags(): DockerOptionFlag[] { return dockerOptionFlags(this.dockerOptions); }

  get env(): Env { return Env.fromRaw(this.raw.env); }
  /** Contents of the accessory's secret env file. Throws on a missing secret. */
  secretEnvFile(secrets: SecretLookup): string { return envFileContent(this.env.secretValues(secrets)); }
  /** Remote env file `.kamal/apps/<svc[-dest]>/env/accessories/<name>.env`. */
  get secretsPath(): string { return `${this.ctx.envDirectory}/accessories/${this.name}.env`; }
  get envDirectory(): string { return `${this.ctx.envDirectory}/accessories`; }

  /** Extra `volumes:` entries, passed as given. */
  get specificVolumes(): string[] { return Array.isArray(this.raw.volumes) ? this.raw.volumes.map(rubyToS) : []; }

  get files(): AccessoryMount[] {
    return this.mounts(this.raw.files, "755", (local, remote) => ({ local, hostPath: `${this.serviceName}${remote}` }))
      .map((m) => ({ ...m, erb: m.local.endsWith("erb") }));
  }

  get directories(): AccessoryMount[] {
    return this.mounts(this.raw.directories, undefined, (local) => ({
      local: isAbsolute(local) ? local : `$PWD/${this.serviceName}/${local}`,
      hostPath: isAbsolute(local) ? local : `${this.serviceName}/${local}`,
    }));
  }

  /** All `--volume` values: specific volumes, then files, then directories (relative host paths get `$PWD/`). */
  get volumes(): string[] {
    const mountArg = (m: AccessoryMount) =>
      `${isAbsolute(m.hostPath) ? m.hostPath : `$PWD/${m.hostPath}`}:${m.containerPath}${isPresent(m.options) ? `:${m.options}` : ""}`;
    return [...this.specificVolumes, ...this.files.map(mountArg), ...this.directories.map(mountArg)];
  }

  get proxy(): ProxyConfig | undefined { return isPresent(this.raw.proxy) ? new ProxyConfig(this.raw.proxy) : undefined; }
  get runningProxy(): boolean { return this.proxy !== undefined; }

  private mounts(raw: unknown, defaultMode: string | undefined, expand: (local: string, remote: string) => { local: string; hostPath: string }): AccessoryMount[] {
    if (!Array.isArray(raw)) return [];
    const byKey = new Map<string, AccessoryMount>();
    for (const entry of raw) {
      let local: string, remote: string, options: string | undefined, mode: string | undefined, owner: string | undefined;
      if (isHash(entry)) {
        local = rubyToS(entry.local); remote = rubyToS(entry.remote);
        options = optionalString(entry.options); mode = optionalString(entry.mode) ?? defaultMode; owner = optionalString(entry.owner);
      } else {
        const [l = "", r = "", ...rest] = rubyToS(entry).split(":");
        local = l; remote = r; options = rest.length ? rest.join(":") : undefined; mode = defaultMode;
      }
      const expanded = expand(local, remote);
      byKey.set(expanded.local, { ...expanded, containerPath: remote, options, mode, owner });
    }
    return [...byKey.values()];
  }
}

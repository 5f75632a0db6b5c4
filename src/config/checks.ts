// Semantic checks run after validation, in Kamal's order (configuration.rb#initialize). The first failure wins.
import { ArgumentError, ConfigurationError } from "../errors.ts";
import { KAMAL_COMPAT_VERSION } from "../version.ts";
import type { Config } from "./config.ts";
import { compareGemVersions } from "./version.ts";
import { isHash, isPresent, rubyToS } from "./values.ts";

export interface CheckEnvironment {
  /** Does a file exist at this path (relative paths are relative to the cwd)? */
  fileExists(path: string): boolean;
  /** The local docker arch (amd64/arm64), only asked when a local registry meets a remote builder. */
  dockerArch(): string;
}

export function checkConfig(config: Config, envt: CheckEnvironment): void {
  const raw = config.raw;
  if (config.requireDestination && config.destination === undefined) throw new ArgumentError("You must specify a destination");

  for (const key of ["service", "registry"]) {
    if (!isPresent(raw[key])) throw new ConfigurationError(`Missing required configuration for ${key}`);
  }
  if (!isPresent(config.image)) throw new ConfigurationError("Missing required configuration for image");
  if (raw.servers === undefined || raw.servers === null) {
    if (!isPresent(raw.accessories)) throw new ConfigurationError("No servers or accessories specified");
  } else {
    const primary = config.primaryRole;
    if (!primary) throw new ConfigurationError(`The primary_role ${config.primaryRoleName} isn't defined`);
    if (primary.hosts.length === 0) throw new ConfigurationError(`No servers specified for the ${primary.name} primary_role`);
    if (!config.allowEmptyRoles) {
      for (const role of config.roles) {
        if (role.hosts.length === 0) {
          throw new ConfigurationError(`No servers specified for the ${role.name} role. You can ignore this with allow_empty_roles: true`);
        }
      }
    }
  }

  const minimum = config.minimumVersion;
  if (minimum !== undefined && compareGemVersions(minimum, KAMAL_COMPAT_VERSION) > 0) {
    throw new ConfigurationError(`Current version is ${KAMAL_COMPAT_VERSION}, minimum required is ${minimum}`);
  }

  if (config.retainContainers < 1) throw new ConfigurationError("Must retain at least 1 container");

  const serviceName = typeof raw.service === "string" ? raw.service : isRubySymbolLike(raw.service) ? String(raw.service) : undefined;
  if (serviceName === undefined || !/^[a-z0-9_-]+$/im.test(serviceName)) {
    throw new ConfigurationError("Service name can only include alphanumeric characters, hyphens, and underscores");
  }

  const traefikHooks = ["pre-traefik-reboot", "post-traefik-reboot"].filter((h) => envt.fileExists(`${config.hooksPath}/${h}`));
  if (traefikHooks.length) {
    throw new ConfigurationError(`Found ${traefikHooks.join(", ")}, these should be renamed to (pre|post)-proxy-reboot`);
  }

  for (const role of config.roles) {
    if (role.ssl && role.hosts.length > 1 && !role.proxy!.customSslCertificate) {
      throw new ConfigurationError(
        `SSL is only supported on a single server unless you provide custom certificates, found ${role.hosts.length} servers for role ${role.name}`);
    }
  }

  const sslHosts = config.roles.filter((r) => r.ssl).flatMap((r) => r.proxy!.hosts);
  const duplicates = [...new Set(sslHosts)].filter((h) => sslHosts.indexOf(h) !== sslHosts.lastIndexOf(h));
  if (duplicates.length) throw new ConfigurationError(`Different roles can't share the same host for SSL: ${duplicates.join(", ")}`);

  // The scheme is checked first so `docker info` (for the local arch) only runs when it can matter.
  const remoteScheme = /^([a-z][a-z0-9+.-]*):/i.exec(config.builder.remote ?? "")?.[1]?.toLowerCase();
  if (config.registry.local && remoteScheme !== "ssh" && config.builder.isRemote(() => envt.dockerArch())) {
    throw new ConfigurationError("Local registry with remote builder requires an SSH URL (e.g., ssh://user@host)");
  }

  for (const host of config.allHosts) {
    const runs = config.proxyRunsOn(host);
    if (runs.some((run) => !run.equals(runs[0]!))) throw new ConfigurationError(`Conflicting proxy run configurations for host ${host}`);
  }

  const hooksOutput = raw.hooks_output;
  const checkLevel = (level: unknown, hook?: string) => {
    const text = rubyToS(level);
    if (text === "quiet" || text === "verbose") return;
    throw new ConfigurationError(`Invalid hooks_output '${text}'${hook ? ` for hook '${hook}'` : ""}, must be one of: quiet, verbose`);
  };
  if (isHash(hooksOutput)) for (const [hook, level] of Object.entries(hooksOutput)) checkLevel(level, hook);
  else if (typeof hooksOutput === "string" || isRubySymbolLike(hooksOutput)) checkLevel(hooksOutput);
}

/** A Ruby Symbol from the YAML loader (an object that is neither a hash nor an array). */
function isRubySymbolLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isHash(value);
}

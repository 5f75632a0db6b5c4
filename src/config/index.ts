// Public entry of the configuration layer: load -> validate -> derive -> semantic checks.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Config } from "./config.ts";
import { checkConfig } from "./checks.ts";
import { loadRawConfig } from "./load.ts";
import { Secrets } from "./secrets/index.ts";
import { validateConfig } from "./validate/index.ts";

export interface LoadConfigOptions {
  /** Default `config/deploy.yml` (relative to cwd). */
  configFile?: string;
  destination?: string;
  /** `--version`: the app version to use instead of $VERSION / git HEAD. */
  version?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** `docker info` architecture as Kamal names it (aarch64 -> arm64, x86_64 -> amd64); "" when docker is unavailable. */
export function localDockerArch(): string {
  let arch = "";
  try {
    arch = execFileSync("docker", ["info", "--format", "{{.Architecture}}"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch { /* like Kamal's backticks: empty output */ }
  if (arch.includes("aarch64")) return "arm64";
  if (arch.includes("x86_64")) return "amd64";
  return arch;
}

/** Load, validate and derive the configuration; throws ConfigurationError/ArgumentError with Kamal's messages. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const loaded = loadRawConfig({ configFile: opts.configFile, destination: opts.destination, cwd, env });
  const raw = loaded.raw;
  validateConfig(raw);
  const secretsPath = typeof raw.secrets_path === "string" ? raw.secrets_path : ".kamal/secrets";
  const secrets = new Secrets({ secretsPath, destination: opts.destination, cwd, env: loaded.env });
  const config = new Config(raw, { destination: opts.destination, version: opts.version, cwd, env: loaded.env, secrets });
  checkConfig(config, {
    fileExists: (path) => existsSync(isAbsolute(path) ? path : join(cwd, path)),
    dockerArch: localDockerArch,
  });
  return config;
}

export { Config, type ConfigOptions, type HooksOutputLevel } from "./config.ts";
export { checkConfig, type CheckEnvironment } from "./checks.ts";
export { Role, type RoleContext } from "./role.ts";
export { Accessory, type AccessoryMount } from "./accessory.ts";
export { envFileContent, escapeEnvFileValue } from "./env-file.ts";
export { Env, envWithSecrets, parseSecretEntry, clearValueText, type ContainerEnv, type SecretEnvEntry, type SecretLookup } from "./env.ts";
export { LoggingConfig } from "./logging.ts";
export { ProxyConfig, ProxyRun, PROXY_CONTAINER_NAME, PROXY_MINIMUM_VERSION, PROXY_APPS_CONTAINER_DIRECTORY, type ProxyFlag, type ProxyContext } from "./proxy.ts";
export { RegistryConfig, type Credential } from "./registry.ts";
export { BuilderConfig, type BuilderKind } from "./builder.ts";
export { SshConfig, SshkitConfig, BootConfig } from "./ssh.ts";
export { type DockerOptionFlag } from "./docker-options.ts";
export { configToHash, renderConfigYaml, REDACTED, type RenderConfigOptions } from "./to-hash.ts";
export { emitPsychYaml } from "./psych-yaml.ts";
export { kamalEscapeValue } from "./kamal-args.ts";

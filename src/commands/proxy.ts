// The kamal-proxy container on a host (reference §3.6, Kamal's commands/proxy.rb): the boot line (from the legacy
// boot config files, or from `proxy.run`), start/stop/remove, logs, details, the version check, the boot config files.
import { dockerOptionFlags } from "../config/docker-options.ts";
import { PROXY_CONTAINER_NAME, PROXY_MINIMUM_VERSION, PROXY_APPS_CONTAINER_DIRECTORY, ProxyRun } from "../config/proxy.ts";
import { cmd, concat, docker, or, pipe, raw, redirect, subst, type Arg, type Cmd } from "../shell/index.ts";

/** The paths the proxy commands need (Config has them all). */
export interface ProxyPaths {
  readonly runDirectory: string;
  readonly appsDirectory: string;
  readonly proxyDirectory: string;
  readonly proxyAppsDirectory: string;
  readonly proxyOptionsFile: string;
  readonly proxyImageFile: string;
  readonly proxyImageVersionFile: string;
  readonly proxyRunCommandFile: string;
}

export const PROXY_NETWORK = "kamal";
export const PROXY_CONFIG_VOLUME = "kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy";
export const PROXY_IMAGE_LABEL_FILTER = "label=org.opencontainers.image.title=kamal-proxy";
export const DEFAULT_PROXY_REPOSITORY = "basecamp/kamal-proxy";
export const DEFAULT_PROXY_IMAGE = `${DEFAULT_PROXY_REPOSITORY}:${PROXY_MINIMUM_VERSION}`;
const DEFAULT_LOG_MAX_SIZE = "10m";

/** docker network create kamal (an "already exists" failure is expected and ignored by the caller) */
export const createProxyNetwork = (): Cmd => docker("network", "create", PROXY_NETWORK);
/** docker network rm kamal (docker refuses while containers use it) */
export const removeProxyNetwork = (): Cmd => docker("network", "rm", PROXY_NETWORK);
/** docker volume rm kamal-proxy-config (kamal-proxy's state; docker refuses while a container uses it) */
export const removeProxyConfigVolume = (): Cmd => docker("volume", "rm", PROXY_CONFIG_VOLUME.split(":")[0]!);

/** The image tag of the running proxy: docker inspect kamal-proxy --format '{{.Config.Image}}' | awk -F: '{print $NF}' */
export const proxyVersion = (): Cmd =>
  pipe(docker("inspect", PROXY_CONTAINER_NAME, "--format", "{{.Config.Image}}"), cmd("awk", "-F:", "{print $NF}"));

/** Gem::Version comparison of two tags after stripping a leading `v` (Kamal::Utils.older_version?). */
export function olderVersion(version: string, other: string): boolean {
  const parts = (v: string) => v.replace(/^v/, "").split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const a = parts(version);
  const b = parts(other);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x === y) continue;
    // A string segment (pre-release) sorts before any number (Gem::Version: 1.0.a < 1.0).
    if (typeof x === "number" && typeof y === "number") return x < y;
    if (typeof x === "string" && typeof y === "string") return x < y;
    return typeof x === "string";
  }
  return false;
}

/** --volume $PWD/.kamal/proxy/apps-config:/home/kamal-proxy/.apps-config */
const appsVolume = (p: ProxyPaths): Arg[] => ["--volume", concat(raw("$PWD"), `/${p.proxyAppsDirectory}:${PROXY_APPS_CONTAINER_DIRECTORY}`)];

const dockerRunHead = (): Arg[] => [
  "run", "--name", PROXY_CONTAINER_NAME, "--network", PROXY_NETWORK, "--detach", "--restart", "unless-stopped", "--volume", PROXY_CONFIG_VOLUME,
];

/** `--publish [ip:]80:80 --publish [ip:]443:443` per bind ip; IPv6 addresses in brackets (ProxyRun#publishPorts). */
const publishArgs = (run: ProxyRun): string[] => run.publishPorts.flatMap((port) => ["--publish", port]);

/** `kamal-proxy run [--debug] [--metrics-port <p>]` as argv. */
function runCommandArgs(debug: boolean, metricsPort: number | undefined): string[] {
  return ["kamal-proxy", "run", ...(debug ? ["--debug"] : []), ...(metricsPort === undefined ? [] : ["--metrics-port", String(metricsPort)])];
}

/** The `docker run` line with `proxy.run` configured (Kamal's Proxy::Run). */
export function runProxyFromConfig(p: ProxyPaths, run: ProxyRun): Cmd {
  const options = dockerOptionFlags(run.options).flatMap(([name, value]) => (value === true ? [`--${name}`] : [`--${name}`, value]));
  return docker(
    dockerRunHead(),
    appsVolume(p),
    publishArgs(run),
    run.logMaxSize === "" ? [] : ["--log-opt", `max-size=${run.logMaxSize}`],
    run.metricsPort === undefined ? [] : [`--expose=${run.metricsPort}`],
    options,
    run.image,
    runCommandArgs(run.debug, run.metricsPort),
  );
}

/** `cat <file> 2> /dev/null || echo <default>` (Kamal's read_file) */
const readFile = (file: string, fallback: string): Cmd => or(redirect(cmd("cat", file), "2>", "/dev/null"), cmd("echo", fallback));

export const DEFAULT_BOOT_OPTIONS = [...publishArgs(new ProxyRun({})), "--log-opt", `max-size=${DEFAULT_LOG_MAX_SIZE}`];

/** echo $(options) $(image):$(version) $(run_command): the legacy boot line's tail, resolved on the host. */
export const bootConfig = (p: ProxyPaths): Cmd =>
  cmd("echo",
    subst(readFile(p.proxyOptionsFile, DEFAULT_BOOT_OPTIONS.join(" "))),
    concat(subst(readFile(p.proxyImageFile, DEFAULT_PROXY_REPOSITORY)), ":", subst(readFile(p.proxyImageVersionFile, PROXY_MINIMUM_VERSION))),
    subst(readFile(p.proxyRunCommandFile, "")));

/** echo $(image):$(version): the image the legacy boot line would run on this host. */
export const bootConfigImage = (p: ProxyPaths): Cmd =>
  cmd("echo", concat(subst(readFile(p.proxyImageFile, DEFAULT_PROXY_REPOSITORY)), ":", subst(readFile(p.proxyImageVersionFile, PROXY_MINIMUM_VERSION))));

/** The boot line: `proxy.run` when configured for this host, else the boot config files piped into `xargs docker run …`. */
export function runProxy(p: ProxyPaths, run: ProxyRun | undefined): Cmd {
  if (run) return runProxyFromConfig(p, run);
  return pipe(bootConfig(p), cmd("xargs", "docker", dockerRunHead(), appsVolume(p)));
}

/** docker container start kamal-proxy */
export const startProxy = (): Cmd => docker("container", "start", PROXY_CONTAINER_NAME);
/** docker container stop kamal-proxy */
export const stopProxy = (): Cmd => docker("container", "stop", PROXY_CONTAINER_NAME);
/** docker container start kamal-proxy || <boot line> */
export const startOrRunProxy = (p: ProxyPaths, run: ProxyRun | undefined): Cmd => or(startProxy(), runProxy(p, run));

/** docker ps --filter 'name=^kamal-proxy$' */
export const proxyDetails = (): Cmd => docker("ps", "--filter", `name=^${PROXY_CONTAINER_NAME}$`);

export interface ProxyLogOptions {
  timestamps?: boolean;
  since?: string;
  lines?: number;
  grep?: string;
  grepOptions?: string;
}

/** docker logs kamal-proxy [--since S] [--tail N] [--timestamps] 2>&1 [| grep '<g>' [options]] */
export function proxyLogs(o: ProxyLogOptions = {}): Cmd {
  const logs = redirect(docker("logs", PROXY_CONTAINER_NAME,
    o.since !== undefined && ["--since", o.since],
    o.lines !== undefined && ["--tail", String(o.lines)],
    (o.timestamps ?? true) && "--timestamps"), "2>&", "1");
  return o.grep === undefined ? logs : pipe(logs, cmd("grep", o.grep, o.grepOptions !== undefined && raw(o.grepOptions)));
}

/** docker logs kamal-proxy [--timestamps] --tail 10 --follow 2>&1 [| grep <g>]: run through `ssh -t` for -f. */
export function followProxyLogs(o: Pick<ProxyLogOptions, "timestamps" | "grep" | "grepOptions"> = {}): Cmd {
  const logs = redirect(docker("logs", PROXY_CONTAINER_NAME, (o.timestamps ?? true) && "--timestamps", "--tail", "10", "--follow"), "2>&", "1");
  return o.grep === undefined ? logs : pipe(logs, cmd("grep", o.grep, o.grepOptions !== undefined && raw(o.grepOptions)));
}

/** docker container prune --force --filter label=org.opencontainers.image.title=kamal-proxy */
export const removeProxyContainer = (): Cmd => docker("container", "prune", "--force", "--filter", PROXY_IMAGE_LABEL_FILTER);
/** docker image prune --all --force --filter label=org.opencontainers.image.title=kamal-proxy */
export const removeProxyImage = (): Cmd => docker("image", "prune", "--all", "--force", "--filter", PROXY_IMAGE_LABEL_FILTER);

/** mkdir -p .kamal/proxy */
export const ensureProxyDirectory = (p: ProxyPaths): Cmd => cmd("mkdir", "-p", p.proxyDirectory);
/** mkdir -p .kamal/proxy/apps-config */
export const ensureAppsConfigDirectory = (p: ProxyPaths): Cmd => cmd("mkdir", "-p", p.proxyAppsDirectory);
/** rm -r .kamal/proxy */
export const removeProxyDirectory = (p: ProxyPaths): Cmd => cmd("rm", "-r", p.proxyDirectory);
/** rm <boot config file> */
export const removeBootConfigFile = (file: string): Cmd => cmd("rm", file);
/** ls .kamal/apps | wc -l: how many apps are installed on the host (`proxy remove` keeps the proxy if any). */
export const installedAppCount = (p: ProxyPaths): Cmd => pipe(cmd("ls", p.appsDirectory), cmd("wc", "-l"));

/** uname -m: the host's machine architecture. */
export const hostMachine = (): Cmd => cmd("uname", "-m");
/** docker image inspect --format '{{.Id}}' <image>: the image id a tag points at on the host (fails when absent). */
export const imageIdOf = (image: string): Cmd => docker("image", "inspect", "--format", "{{.Id}}", image);
/** docker load (the archive on stdin) */
export const loadImage = (): Cmd => docker("load");
/** docker pull <image> */
export const pullImage = (image: string): Cmd => docker("pull", image);

/** `kamal proxy boot_config set` options (Kamal's defaults: publish, 80, 443, "10m"). */
export interface BootConfigSettings {
  publish?: boolean;
  publishHostIps?: readonly string[];
  httpPort?: number;
  httpsPort?: number;
  logMaxSize?: string;
  registry?: string;
  repository?: string;
  imageVersion?: string;
  metricsPort?: number;
  debug?: boolean;
  /** `a=b` words, each becomes `--a=b`. */
  dockerOptions?: readonly string[];
}

/** What each boot config file should contain; undefined means "remove it" (Kamal writes only non-defaults). */
export interface BootConfigFiles {
  options?: string;
  image?: string;
  imageVersion?: string;
  runCommand?: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?$/;

/** The file contents Kamal's `boot_config set` writes; throws on an invalid --publish-host-ip (Kamal's message). */
export function bootConfigFiles(s: BootConfigSettings): BootConfigFiles {
  for (const ip of s.publishHostIps ?? []) {
    if (!IPV4.test(ip) && !IPV6.test(ip)) throw new Error(`Invalid publish IP address: ${ip}`);
  }
  const bindIps = s.publishHostIps && s.publishHostIps.length > 0 ? s.publishHostIps : undefined;
  const logMaxSize = s.logMaxSize ?? DEFAULT_LOG_MAX_SIZE;
  const options = [
    ...publishArgs(new ProxyRun({ publish: s.publish ?? true, http_port: s.httpPort, https_port: s.httpsPort, bind_ips: bindIps && [...bindIps] })),
    ...(logMaxSize === "" ? [] : ["--log-opt", `max-size=${logMaxSize}`]),
    ...(s.metricsPort === undefined ? [] : [`--expose=${s.metricsPort}`]),
    ...(s.dockerOptions ?? []).map((o) => `--${o}`),
  ].join(" ");
  const image = [s.registry || undefined, s.repository || "basecamp", "kamal-proxy"].filter((x) => x !== undefined).join("/");
  const runOptions = [...(s.debug ? ["--debug"] : []), ...(s.metricsPort === undefined ? [] : [`--metrics-port "${s.metricsPort}"`])];
  return {
    options: options === DEFAULT_BOOT_OPTIONS.join(" ") ? undefined : options,
    image: image === DEFAULT_PROXY_REPOSITORY ? undefined : image,
    imageVersion: s.imageVersion || undefined,
    runCommand: runOptions.length > 0 ? `kamal-proxy run ${runOptions.join(" ")}` : undefined,
  };
}

/** The boot config file of each BootConfigFiles key. */
export function bootConfigPaths(p: ProxyPaths): Record<keyof BootConfigFiles, string> {
  return { options: p.proxyOptionsFile, image: p.proxyImageFile, imageVersion: p.proxyImageVersionFile, runCommand: p.proxyRunCommandFile };
}

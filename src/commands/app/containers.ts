// Finding and handling app containers (reference §3.5). The label filters are Kamal's, so containers that Ruby
// Kamal started on a host are found (and left alone) exactly as it finds them.
import type { Config, Role } from "../../config/index.ts";
import { cmd, concat, docker, pipe, seq, sh, subst, type Arg, type Cmd } from "../../shell/index.ts";

/** `--filter label=service=<svc> --filter label=destination=<dest or empty>` (no role). */
export function serviceFilters(config: Config): Arg[] {
  return ["--filter", `label=service=${config.service}`, "--filter", `label=destination=${config.destination ?? ""}`];
}

/** The service filters plus `--filter label=role=<role>`. */
export function roleFilters(config: Config, role: Role): Arg[] {
  return [...serviceFilters(config), "--filter", `label=role=${role.name}`];
}

/** docker container ls [--all] --filter 'name=^<name>$' --quiet */
export const containerIdFor = (name: string, opts: { onlyRunning?: boolean } = {}): Cmd =>
  docker("container", "ls", !opts.onlyRunning && "--all", "--filter", `name=^${name}$`, "--quiet");

const RUNNING = ["--filter", "status=running", "--filter", "status=restarting"];
const NAMES_FORMAT = ["--format", "{{.Names}}"];

/**
 * The newest running container of the role, preferring one whose image is tagged latest[-dest]:
 * sh -c 'docker ps --latest <fmt> <filters> <running> --filter ancestor=$(docker image ls ...) ; docker ps --latest <fmt> <filters> <running>' | head -1
 */
export function currentRunningContainer(config: Config, role: Role, format: "id" | "name"): Cmd {
  const fmt = format === "id" ? ["--quiet"] : NAMES_FORMAT;
  const latestImageId = docker("image", "ls", "--filter", `reference=${config.latestImage}`, "--format", "{{.ID}}");
  return pipe(
    sh(seq(
      docker("ps", "--latest", fmt, roleFilters(config, role), RUNNING, "--filter", concat("ancestor=", subst(latestImageId))),
      docker("ps", "--latest", fmt, roleFilters(config, role), RUNNING),
    )),
    cmd("head", "-1"),
  );
}

/** Names of the role's running containers: docker ps <filters> --format '{{.Names}}' (versions = names minus the prefix). */
export const runningContainerNames = (config: Config, role: Role): Cmd => docker("ps", roleFilters(config, role), NAMES_FORMAT);

/** The version part of a container name (`<prefix>-<version>`), or undefined for a name of another role. */
export function versionOfContainerName(role: Role, name: string): string | undefined {
  const prefix = `${role.containerPrefix}-`;
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined;
}

const inspect = (format: string): Cmd => cmd("xargs", "docker", "inspect", "--format", format);

/** healthy/unhealthy/starting with a HEALTHCHECK, else running/exited/...: <id> | xargs docker inspect --format ... */
export const containerHealthStatus = (name: string): Cmd =>
  pipe(containerIdFor(name), inspect("{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}"));

/** The health check log as JSON. */
export const containerHealthLog = (name: string): Cmd => pipe(containerIdFor(name), inspect("{{json .State.Health}}"));

/** The last lines of a container's log (shown when a new version fails to boot). */
export const containerLogsTail = (name: string, lines = 100): Cmd =>
  pipe(containerIdFor(name), cmd("xargs", "docker", "logs", "--tail", String(lines)));

/** <id> | xargs docker stop [-t N]: -t is the role's stop wait (none for proxy roles, the proxy drained them). */
export const stopContainer = (role: Role, name: string): Cmd =>
  pipe(containerIdFor(name), cmd("xargs", "docker", "stop", role.stopWaitSeconds !== undefined && ["-t", String(role.stopWaitSeconds)]));

/** docker rename <from> <to> */
export const renameContainer = (from: string, to: string): Cmd => docker("rename", from, to);

/** <id> | xargs docker container rm */
export const removeContainer = (name: string): Cmd => pipe(containerIdFor(name), cmd("xargs", "docker", "container", "rm"));

/** docker container prune --force <role filters>: every stopped container of the role. */
export const removeContainers = (config: Config, role: Role): Cmd => docker("container", "prune", "--force", roleFilters(config, role));

/** docker image prune --all --force --filter label=service=<svc> */
export const removeImages = (config: Config): Cmd =>
  docker("image", "prune", "--all", "--force", "--filter", `label=service=${config.service}`);

/** docker tag <repo>:<version> <repo>:latest[-dest] */
export const tagLatestImage = (config: Config, version: string): Cmd =>
  docker("tag", `${config.repository}:${version}`, config.latestImage);

/** `app details`: docker ps <role filters> */
export const containerDetails = (config: Config, role: Role): Cmd => docker("ps", roleFilters(config, role));

/** `app containers`: docker container ls --all <service filters> */
export const listContainers = (config: Config): Cmd => docker("container", "ls", "--all", serviceFilters(config));

/** `app images`: docker image ls <repo> */
export const listImages = (config: Config): Cmd => docker("image", "ls", config.repository);

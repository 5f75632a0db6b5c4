// Asset bridging (reference §3.8): assets copied out of the new image and merged with the old version's, so
// requests for either version's assets succeed while the proxy switches.
import type { Config, Role } from "../../config/index.ts";
import { and, cmd, docker, or, redirect, seq, type Cmd } from "../../shell/index.ts";

const assetsContainer = (role: Role): string => `${role.containerPrefix}-assets`;

/** mkdir -p <E>/<role>-<v> && { docker container rm <prefix>-assets 2> /dev/null || true; } && docker container create ... && docker container cp -L ... && docker container rm ... */
export function extractAssets(config: Config, role: Role, version: string): Cmd {
  const dir = role.assetExtractedDirectory(version);
  const container = assetsContainer(role);
  return and(
    cmd("mkdir", "-p", dir),
    or(redirect(docker("container", "rm", container), "2>", "/dev/null"), cmd("true")),
    docker("container", "create", "--name", container, `${config.repository}:${version}`),
    docker("container", "cp", "-L", `${container}:${role.assetPath}/.`, dir),
    docker("container", "rm", container),
  );
}

/** mkdir -p <V>/<role>-<v> ; cp -rnT <E>/<v> <V>/<v> [; cp -rnT <E>/<v> <V>/<old> || true ; cp -rnT <E>/<old> <V>/<v> || true] */
export function syncAssetVolumes(role: Role, version: string, oldVersion?: string): Cmd {
  const copy = (from: string, to: string): Cmd => cmd("cp", "-rnT", from, to);
  const extracted = (v: string): string => role.assetExtractedDirectory(v);
  const volume = (v: string): string => role.assetVolumeDirectory(v);
  const steps = [cmd("mkdir", "-p", volume(version)), copy(extracted(version), volume(version))];
  if (oldVersion !== undefined) {
    steps.push(or(copy(extracted(version), volume(oldVersion)), cmd("true")), or(copy(extracted(oldVersion), volume(version)), cmd("true")));
  }
  return seq(...steps);
}

/** Remove the other versions' extracted and volume directories of this role. */
export function cleanUpAssets(role: Role, version: string): Cmd {
  const base = (dir: string): string => dir.slice(0, dir.lastIndexOf("/"));
  const find = (dir: string): Cmd =>
    cmd("find", base(dir), "-maxdepth", "1", "-name", `${role.name}-*`, "!", "-name", `${role.name}-${version}`, "-exec", "rm", "-rf", "{}", "+");
  return seq(find(role.assetExtractedDirectory(version)), find(role.assetVolumeDirectory(version)));
}

// No buildx (Debian's Docker has none): the classic builder for a plain local build for the local architecture.
//   env DOCKER_BUILDKIT=0 docker build -t <img> -t <latest> --label service=<svc> [--build-arg ..] --file <f> [--target T] [--no-cache] <context> 2>&1
//   docker push <img> ; docker push <latest>      (only when the output is the registry)
import type { Config } from "../../config/config.ts";
import { cmd, docker, redirect, type Cmd } from "../../shell/index.ts";
import { buildArgOptions, fileOptions, labelOptions, tagOptions, targetOptions, type PushOptions } from "./base.ts";

/** What only buildx can do, named in the notice printed before a classic build. */
export const NEEDS_BUILDX = "multi-arch images, cache export, build secrets and ssh";

/** Which configured features the classic builder cannot honour (empty: it can build this). */
export function classicBlockers(config: Config, localArch: string): string[] {
  const b = config.builder;
  const blockers: string[] = [];
  if (b.arches.some((a) => a !== localArch)) blockers.push(`arch ${b.arches.join(", ")} (this machine builds ${localArch || "an unknown arch"})`);
  if (b.remote !== undefined) blockers.push("a remote builder");
  if (b.pack) blockers.push("pack");
  if (b.cloud) blockers.push("a cloud builder");
  if (b.cached) blockers.push("cache");
  if (b.secretKeys.length > 0) blockers.push("build secrets");
  if (b.ssh) blockers.push("ssh");
  return blockers;
}

export const classicBuild = (config: Config, opts: PushOptions = {}): Cmd =>
  redirect(
    cmd(
      "env", "DOCKER_BUILDKIT=0", "docker", "build", tagOptions(config, opts.dirty), labelOptions(config), buildArgOptions(config),
      fileOptions(config), targetOptions(config), opts.noCache ? "--no-cache" : [], config.builder.context,
    ),
    "2>&", "1",
  );

/** docker push <tag> for both tags */
export const classicPushes = (config: Config, dirty = false): Cmd[] =>
  [config.absoluteImage, config.latestImage].map((t) => docker("push", dirty ? `${t}-dirty` : t));

// Which builder `build push` uses: Kamal's choice when buildx is there; without buildx a plain local build for this
// machine's arch uses the classic builder (one notice line), anything else fails with how to install buildx.
import * as builderCmds from "../commands/builder/index.ts";
import { DependencyError } from "../errors.ts";
import { LOCALHOST } from "../exec/index.ts";
import type { Context } from "./context.ts";

export interface BuildPlan {
  builder: builderCmds.Builder;
  /** true: build with `DOCKER_BUILDKIT=0 docker build` and `docker push` (no buildx here). */
  classic: boolean;
}

export const BUILDX_HELP = "install the Docker buildx plugin (https://docs.docker.com/go/buildx/, e.g. apt-get install docker-buildx or docker-buildx-plugin)";

async function dockerArch(ctx: Context): Promise<string> {
  const out = await ctx.runner.exec(LOCALHOST, builderCmds.dockerArchitecture(), { level: "debug" });
  return builderCmds.kamalArch(out.code === 0 ? out.stdout : "");
}

export async function resolveBuilder(ctx: Context): Promise<BuildPlan> {
  const { config } = ctx;
  const check = await ctx.runner.exec(LOCALHOST, builderCmds.dockerCheck());
  if (check.code === 0) {
    const arch = config.builder.remote !== undefined || config.builder.pack ? await dockerArch(ctx) : "";
    return { builder: builderCmds.builderFor({ config, dockerArch: arch }), classic: false };
  }
  if (/command not found|not found/.test(`${check.stdout}\n${check.stderr}`) && !/buildx/.test(`${check.stdout}\n${check.stderr}`)) {
    throw new DependencyError("Docker is not installed locally");
  }
  const arch = await dockerArch(ctx);
  const blockers = builderCmds.classicBlockers(config, arch);
  if (blockers.length > 0) {
    throw new DependencyError(`Docker buildx plugin is not installed locally; this build needs it for ${blockers.join(", ")}: ${BUILDX_HELP}`);
  }
  ctx.logger.say(
    `Docker buildx is not installed locally, so building with the classic builder (DOCKER_BUILDKIT=0 docker build); ${builderCmds.NEEDS_BUILDX} need buildx`,
    "yellow",
  );
  return { builder: builderCmds.builderFor({ config, dockerArch: arch }), classic: true };
}

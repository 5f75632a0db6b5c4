// `kamal build create|remove|details` (reference §1.6): the buildx builder (or remote context) itself.
import * as builderCmds from "../commands/builder/index.ts";
import { KamalError } from "../errors.ts";
import { CommandFailed, LOCALHOST } from "../exec/index.ts";
import { cmd } from "../shell/index.ts";
import type { Context } from "./context.ts";

async function currentBuilder(ctx: Context): Promise<builderCmds.Builder> {
  const { config } = ctx;
  let arch = "";
  if (config.builder.remote !== undefined || config.builder.pack) {
    const out = await ctx.runner.exec(LOCALHOST, builderCmds.dockerArchitecture(), { level: "debug" });
    arch = builderCmds.kamalArch(out.code === 0 ? out.stdout : "");
  }
  return builderCmds.builderFor({ config, dockerArch: arch });
}

/** An `ssh://` remote builder must answer over SSH before a context is made for it (Kamal runs `true` there). */
async function checkRemote(ctx: Context): Promise<void> {
  const remote = ctx.config.builder.remote;
  if (remote === undefined || !remote.startsWith("ssh://")) return;
  const host = new URL(remote).hostname;
  await ctx.runner.run(host, cmd("true"));
}

export async function buildCreate(ctx: Context): Promise<void> {
  await checkRemote(ctx);
  const builder = await currentBuilder(ctx);
  ctx.logger.debug(`Using builder: ${builder.kind}`);
  const create = builder.create();
  if (!create) return;
  try {
    await ctx.runner.run(LOCALHOST, create);
  } catch (e) {
    if (e instanceof CommandFailed && builder.kind !== "local") {
      throw new KamalError(`Couldn't create remote builder: ${e.stderr.trim()}`, "Kamal::Cli::Build::BuildError");
    }
    throw e;
  }
}

export async function buildRemove(ctx: Context): Promise<void> {
  const builder = await currentBuilder(ctx);
  ctx.logger.debug(`Using builder: ${builder.kind}`);
  const remove = builder.remove();
  if (remove) await ctx.runner.run(LOCALHOST, remove);
}

export async function buildDetails(ctx: Context): Promise<void> {
  const builder = await currentBuilder(ctx);
  ctx.logger.say(`Builder: ${builder.kind}`);
  ctx.logger.say(await ctx.runner.capture(LOCALHOST, builder.info()));
}

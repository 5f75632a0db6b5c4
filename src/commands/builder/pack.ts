// Cloud Native Buildpacks (Kamal's commands/builder/pack.rb): `pack build`, then `docker push` of both tags.
// Build secrets are passed as bare `--env NAME` (pack reads the value from the environment), never on the command line.
import { and, docker, type Arg, type Cmd } from "../../shell/index.ts";
import { cmd } from "../../shell/index.ts";
import { keyValueArg, tagOptions, type BuildInput, type Builder, type PushOptions } from "./base.ts";

export function packBuilder(input: BuildInput): Builder {
  const { config } = input;
  const b = config.builder;
  const info = (): Cmd => cmd("pack", "builder", "inspect", b.packBuilder ?? "");
  const build = (opts: PushOptions): Cmd => {
    const envArgs: Arg[] = Object.entries(b.args).flatMap(([k, v]) => ["--env", keyValueArg(k, v)]);
    return cmd(
      "pack", "build", config.repository,
      "--platform", `linux/${b.localArches(() => input.dockerArch)[0] ?? ""}`,
      "--creation-time", "now",
      "--builder", b.packBuilder ?? "",
      [...b.packBuildpacks, "paketo-buildpacks/image-labels"].flatMap((bp) => ["--buildpack", bp]),
      tagOptions(config, opts.dirty),
      opts.noCache ? "--clear-cache" : [],
      "--env", `BP_IMAGE_LABELS=service=${config.service}`,
      envArgs,
      b.secretKeys.flatMap((k) => ["--env", k]),
      "--path", b.context,
    );
  };
  return {
    kind: "pack",
    name: "",
    create: () => undefined,
    remove: () => undefined,
    inspect: info,
    info,
    push: (opts: PushOptions = {}): Cmd =>
      (opts.output ?? "registry") === "registry"
        ? and(build(opts), docker("push", config.absoluteImage), docker("push", config.latestImage))
        : build(opts),
    loginLocally: true,
    pushEnv: {},
  };
}

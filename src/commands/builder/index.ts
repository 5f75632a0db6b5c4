// Which builder the configuration asks for (Kamal's commands/builder.rb#target), and every builder's commands.
import { cloudBuilder } from "./cloud.ts";
import { hybridBuilder } from "./hybrid.ts";
import { localBuilder } from "./local.ts";
import { packBuilder } from "./pack.ts";
import { remoteBuilder } from "./remote.ts";
import type { BuildInput, Builder } from "./base.ts";

export * from "./base.ts";
export { classicBlockers, classicBuild, classicPushes, NEEDS_BUILDX } from "./classic.ts";

export function builderFor(input: BuildInput): Builder {
  switch (input.config.builder.kind(() => input.dockerArch)) {
    case "hybrid": return hybridBuilder(input);
    case "remote": return remoteBuilder(input);
    case "pack": return packBuilder(input);
    case "cloud": return cloudBuilder(input);
    default: return localBuilder(input);
  }
}

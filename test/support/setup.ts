// Preloaded by `bun test` (bunfig.toml). Property tests run with a fixed fast-check seed so a CI run is
// reproducible; set FC_SEED=random (or a number) to explore other inputs locally.
import fc from "fast-check";

const seed = process.env.FC_SEED;
if (seed !== "random") fc.configureGlobal({ seed: seed ? Number(seed) : 20261128 });

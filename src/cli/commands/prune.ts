// `kamal prune ...` (reference §1.9).
import { defineCommand, defineGroup } from "../define.ts";

export const pruneGroup = defineGroup("prune", "Prune old application images and containers", [
  defineCommand({ name: "all", desc: "Prune unused images and stopped containers" }),
  defineCommand({ name: "images", desc: "Prune unused images" }),
  defineCommand({
    name: "containers",
    desc: "Prune all stopped containers, except the last n (default 5)",
    options: [{ name: "retain", type: "numeric", desc: "Number of containers to retain" }],
  }),
]);

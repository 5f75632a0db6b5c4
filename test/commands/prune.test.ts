import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../src/shell/index.ts";
import { pruneDanglingImages, pruneStoppedContainers, pruneTaggedImages } from "../../src/commands/prune.ts";
import { makeConfig } from "../config/derived-helpers.ts";

const config = makeConfig({ servers: ["1.1.1.1"] });

describe("prune (§3.11)", () => {
  test("stopped containers beyond retain_containers", () => {
    expect(renderCmd(pruneStoppedContainers(config))).toBe(
      "docker ps -q -a --filter label=service=app --filter status=created --filter status=exited --filter status=dead | tail -n +6 | while read container_id; do docker rm $container_id; done",
    );
    expect(renderCmd(pruneStoppedContainers(config, 2))).toContain("| tail -n +3 |");
  });

  test("dangling and unused tagged images", () => {
    expect(renderCmd(pruneDanglingImages(config))).toBe("docker image prune --force --filter label=service=app");
    expect(renderCmd(pruneTaggedImages(config))).toBe(
      "docker image ls --filter label=service=app --format '{{.ID}} {{.Repository}}:{{.Tag}}' | grep -v -w \"$(docker container ls -a --format '{{.Image}}\\|' --filter label=service=app | tr -d '\\n')\"'dhh/app:latest\\|dhh/app:<none>' | while read image tag; do docker rmi $tag; done",
    );
  });
});

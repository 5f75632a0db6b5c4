import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../../src/shell/index.ts";
import * as app from "../../../src/commands/app/index.ts";
import { config, staging, web, workers } from "./fixture.ts";

const F = "--filter label=service=app --filter label=destination= --filter label=role=web";

describe("app container lines (§3.5)", () => {
  test("current running container: prefer the latest-tagged image, newest first", () => {
    const run = "--filter status=running --filter status=restarting";
    const anc = "--filter ancestor=$(docker image ls --filter reference=dhh/app:latest --format '\\''{{.ID}}'\\'')";
    expect(renderCmd(app.currentRunningContainer(config, web, "id"))).toBe(
      `sh -c 'docker ps --latest --quiet ${F} ${run} ${anc} ; docker ps --latest --quiet ${F} ${run}' | head -1`,
    );
    const fmt = "--format '\\''{{.Names}}'\\''";
    expect(renderCmd(app.currentRunningContainer(config, web, "name"))).toBe(
      `sh -c 'docker ps --latest ${fmt} ${F} ${run} ${anc} ; docker ps --latest ${fmt} ${F} ${run}' | head -1`,
    );
  });

  test("destination filters and latest tag", () => {
    const role = staging.role("web")!;
    expect(renderCmd(app.containerDetails(staging, role))).toBe("docker ps --filter label=service=app --filter label=destination=staging --filter label=role=web");
    expect(renderCmd(app.tagLatestImage(staging, "1"))).toBe("docker tag dhh/app:1 dhh/app:latest-staging");
  });

  test("running names and versions", () => {
    expect(renderCmd(app.runningContainerNames(config, web))).toBe(`docker ps ${F} --format '{{.Names}}'`);
    expect(app.versionOfContainerName(web, "app-web-abc")).toBe("abc");
    expect(app.versionOfContainerName(web, "app-web-abc_replaced_0123")).toBe("abc_replaced_0123");
    expect(app.versionOfContainerName(web, "app-workers-abc")).toBeUndefined();
  });

  test("id, status, health log, logs", () => {
    expect(renderCmd(app.containerIdFor("app-web-999"))).toBe("docker container ls --all --filter 'name=^app-web-999$' --quiet");
    expect(renderCmd(app.containerIdFor("app-web-999", { onlyRunning: true }))).toBe("docker container ls --filter 'name=^app-web-999$' --quiet");
    expect(renderCmd(app.containerHealthStatus("app-web-999"))).toBe(
      "docker container ls --all --filter 'name=^app-web-999$' --quiet | xargs docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}'",
    );
    expect(renderCmd(app.containerHealthLog("app-web-999"))).toBe(
      "docker container ls --all --filter 'name=^app-web-999$' --quiet | xargs docker inspect --format '{{json .State.Health}}'",
    );
    expect(renderCmd(app.containerLogsTail("app-web-999"))).toBe(
      "docker container ls --all --filter 'name=^app-web-999$' --quiet | xargs docker logs --tail 100",
    );
  });

  test("stop: no -t for proxy roles, drain_timeout for others", () => {
    expect(renderCmd(app.stopContainer(web, "app-web-1"))).toBe("docker container ls --all --filter 'name=^app-web-1$' --quiet | xargs docker stop");
    expect(renderCmd(app.stopContainer(workers, "app-workers-1"))).toBe(
      "docker container ls --all --filter 'name=^app-workers-1$' --quiet | xargs docker stop -t 30",
    );
  });

  test("rename, remove, prune, images, containers", () => {
    expect(renderCmd(app.renameContainer("app-web-1", "app-web-1_replaced_0123456789abcdef"))).toBe(
      "docker rename app-web-1 app-web-1_replaced_0123456789abcdef",
    );
    expect(renderCmd(app.removeContainer("app-web-1"))).toBe("docker container ls --all --filter 'name=^app-web-1$' --quiet | xargs docker container rm");
    expect(renderCmd(app.removeContainers(config, web))).toBe(`docker container prune --force ${F}`);
    expect(renderCmd(app.removeImages(config))).toBe("docker image prune --all --force --filter label=service=app");
    expect(renderCmd(app.listContainers(config))).toBe("docker container ls --all --filter label=service=app --filter label=destination=");
    expect(renderCmd(app.listImages(config))).toBe("docker image ls dhh/app");
    expect(renderCmd(app.tagLatestImage(config, "999"))).toBe("docker tag dhh/app:999 dhh/app:latest");
  });
});

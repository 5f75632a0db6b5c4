import { describe, expect, test } from "bun:test";
import { renderCmd } from "../../../src/shell/index.ts";
import { containerHostname, makeEnvDirectory, runContainer } from "../../../src/commands/app/index.ts";
import { makeConfig } from "../../config/derived-helpers.ts";
import { config, staging, web, workers } from "./fixture.ts";

describe("app run line (§3.4)", () => {
  test("Kamal's minimal example, quoted by our renderer", () => {
    const c = makeConfig({ servers: ["1.1.1.1"] });
    expect(renderCmd(runContainer(c, c.role("web")!, { host: "1.1.1.1", version: "999" }))).toBe(
      "docker run --detach --restart unless-stopped --name app-web-999 --network kamal --env KAMAL_CONTAINER_NAME=app-web-999 --env KAMAL_VERSION=999 --env KAMAL_HOST=1.1.1.1 --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size=10m --label service=app --label role=web --label destination dhh/app:999",
    );
  });

  test("hostname, clear env (bare for empty), volumes, asset volume, labels", () => {
    const line = runContainer(config, web, { host: "1.1.1.1", version: "999", hostname: containerHostname("1.1.1.1", "0123456789ab") });
    expect(renderCmd(line)).toBe(
      "docker run --detach --restart unless-stopped --name app-web-999 --network kamal --hostname 1.1.1.1-0123456789ab --env KAMAL_CONTAINER_NAME=app-web-999 --env KAMAL_VERSION=999 --env KAMAL_HOST=1.1.1.1 --env A=1 --env EMPTY --env-file .kamal/apps/app/env/roles/web.env --log-opt max-size=10m --volume /data:/data --volume $PWD/.kamal/apps/app/assets/volumes/web-999:/public --label service=app --label role=web --label destination dhh/app:999",
    );
  });

  test("non-proxy role: no asset volume, custom labels and options, raw cmd last", () => {
    expect(renderCmd(runContainer(config, workers, { host: "1.1.1.2", version: "999" }))).toBe(
      "docker run --detach --restart unless-stopped --name app-workers-999 --network kamal --env KAMAL_CONTAINER_NAME=app-workers-999 --env KAMAL_VERSION=999 --env KAMAL_HOST=1.1.1.2 --env A=1 --env EMPTY --env-file .kamal/apps/app/env/roles/workers.env --log-opt max-size=10m --volume /data:/data --label service=app --label role=workers --label destination --label 'team=a b' --memory 2g --cap-add dhh/app:999 bin/jobs --queue x",
    );
  });

  test("destination: KAMAL_DESTINATION, destination label, env file path", () => {
    expect(renderCmd(runContainer(staging, staging.role("web")!, { host: "1.1.1.1", version: "1" }))).toBe(
      "docker run --detach --restart unless-stopped --name app-web-staging-1 --network kamal --env KAMAL_CONTAINER_NAME=app-web-staging-1 --env KAMAL_VERSION=1 --env KAMAL_HOST=1.1.1.1 --env KAMAL_DESTINATION=staging --env-file .kamal/apps/app-staging/env/roles/web.env --log-opt max-size=10m --label service=app --label role=web --label destination=staging dhh/app:1",
    );
  });

  test("hostname: cut to 51 characters without a trailing dot", () => {
    expect(containerHostname(`${"a".repeat(50)}.example.com`, "0123456789ab")).toBe(`${"a".repeat(50)}-0123456789ab`);
  });

  test("env directory", () => {
    expect(renderCmd(makeEnvDirectory(web))).toBe("mkdir -p .kamal/apps/app/env/roles");
  });
});

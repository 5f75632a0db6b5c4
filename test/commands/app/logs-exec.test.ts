import { describe, expect, test } from "bun:test";
import { appLogs, followAppLogs } from "../../../src/commands/app/logs.ts";
import { execContainerName, execInExistingContainer, execInNewContainer } from "../../../src/commands/app/exec.ts";
import { removeAppDirectory, removeAppsDirectoryIfEmpty, removeProxyAppDirectory } from "../../../src/commands/app/remove.ts";
import { renderCmd } from "../../../src/shell/index.ts";
import { makeConfig } from "../../config/derived-helpers.ts";

const config = makeConfig({
  servers: { web: ["1.1.1.1"], workers: { hosts: ["1.1.1.2"], cmd: "bin/jobs", options: { memory: "1g" } } },
  env: { clear: { RAILS_ENV: "production" }, secret: ["DB_PASSWORD"] },
  volumes: ["/data:/data"],
});
const staging = makeConfig({ servers: ["1.1.1.1"] }, { destination: "staging" });
const web = config.role("web")!;
const workers = config.role("workers")!;

const CURRENT_ID = "sh -c 'docker ps --latest --quiet --filter label=service=app --filter label=destination= --filter label=role=web" +
  " --filter status=running --filter status=restarting --filter ancestor=$(docker image ls --filter reference=dhh/app:latest --format '\\''{{.ID}}'\\'')" +
  " ; docker ps --latest --quiet --filter label=service=app --filter label=destination= --filter label=role=web --filter status=running --filter status=restarting' | head -1";

describe("app logs lines", () => {
  test("the current container's id piped to docker logs, with tail, timestamps, grep and its options", () => {
    expect(renderCmd(appLogs(config, web, { lines: 100 }))).toBe(`${CURRENT_ID} | xargs docker logs --timestamps --tail 100 2>&1`);
    expect(renderCmd(appLogs(config, web, { since: "5m", timestamps: false, grep: "GET /", grepOptions: "-i" })))
      .toBe(`${CURRENT_ID} | xargs docker logs --since 5m 2>&1 | grep 'GET /' -i`);
  });

  test("--container-id reads that container; -f follows", () => {
    expect(renderCmd(appLogs(config, web, { containerId: "abc123", lines: 10 }))).toBe("sh -c 'echo abc123' | xargs docker logs --timestamps --tail 10 2>&1");
    expect(renderCmd(followAppLogs(config, web, { lines: 10 }))).toBe(`${CURRENT_ID} | xargs docker logs --timestamps --tail 10 --follow 2>&1`);
  });
});

describe("app exec lines", () => {
  test("a new container: exec name, env and env file, -e pairs, logging, volumes, role options, image:version, the command", () => {
    expect(execContainerName(web, "latest", "a1b2c3")).toBe("app-web-exec-latest-a1b2c3");
    expect(renderCmd(execInNewContainer(config, workers, "1.1.1.2", "latest", "a1b2c3", ["bin/rails", "runner 'puts 1'"], { env: { DEBUG: "1" } }))).toBe(
      "docker run --rm --name app-workers-exec-latest-a1b2c3 --network kamal --env RAILS_ENV=production --env-file .kamal/apps/app/env/roles/workers.env" +
      " --env DEBUG=1 --log-opt max-size=10m --volume /data:/data --memory 1g dhh/app:latest bin/rails runner 'puts 1'",
    );
    expect(renderCmd(execInNewContainer(staging, staging.role("web")!, "1.1.1.1", "v1", "000000", ["sh"], { tty: "it", detach: false })))
      .toStartWith("docker run -it --rm --name app-web-staging-exec-v1-000000 --network kamal");
    expect(renderCmd(execInNewContainer(config, web, "1.1.1.1", "v1", "000000", ["sleep 100"], { detach: true }))).toStartWith("docker run --detach --name");
  });

  test("the running container", () => {
    expect(renderCmd(execInExistingContainer(web, "abc", ["bin/rails console"], { tty: "it", env: { A: "b c" } })))
      .toBe("docker exec -it --env 'A=b c' app-web-abc bin/rails console");
    expect(renderCmd(execInExistingContainer(web, "abc", ["ls"]))).toBe("docker exec app-web-abc ls");
  });
});

describe("app remove lines", () => {
  test("the app and proxy config directories", () => {
    expect(renderCmd(removeAppDirectory(staging))).toBe("rm -r .kamal/apps/app-staging");
    expect(renderCmd(removeProxyAppDirectory(config))).toBe("rm -r .kamal/proxy/apps-config/app");
    expect(renderCmd(removeAppsDirectoryIfEmpty(config))).toBe("rmdir .kamal/apps");
  });
});

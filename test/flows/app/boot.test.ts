// app boot with the recording runner: what runs on which host, in which order, and what a broken image leaves.
import { afterEach, describe, expect, test } from "bun:test";
import { appBoot, bootGroups } from "../../../src/flows/app/boot.ts";
import { fixture, type Fixture } from "../context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

const WEB_RUNNING = /docker ps --latest --format .*label=role=web/;
const WORKERS_RUNNING = /docker ps --latest --format .*label=role=workers/;
const ids = (line: string): string | undefined => /name=\^(app-\w+-\d+)\$/.exec(line)?.[1];

function bootFixture(): Fixture {
  f = fixture({ command: { command: "app", subcommand: "boot" } });
  f.runner.respond(WEB_RUNNING, { stdout: "app-web-998\n" });
  f.runner.respond(WORKERS_RUNNING, { stdout: "app-workers-998\n" });
  // Only the new container exists after its `docker run`; before, the name is free (no clash).
  const started = new Set<string>();
  f.runner.respond(/^docker run /, (line, host) => { started.add(`${host} ${/--name (\S+)/.exec(line)![1]}`); return {}; });
  f.runner.respond(/^docker container ls --all --filter 'name=\^app-\w+-999\$' --quiet$/, (line, host) =>
    ({ stdout: started.has(`${host} ${ids(line)}`) ? "c0ffee123456\n" : "" }));
  f.runner.respond(/xargs docker inspect --format '\{\{if/, { stdout: "running\n" });
  return f;
}

describe("app boot", () => {
  test("proxy role: env file 0600, run, kamal-proxy deploy to the new id, then the old container stops; tagged latest", async () => {
    bootFixture();
    await appBoot(f.ctx, "999");
    const web = f.runner.lines("1.1.1.1").filter((l) => !l.startsWith("mkdir -p .kamal &&"));
    const run = web.findIndex((l) => l.startsWith("docker run --detach --restart unless-stopped --name app-web-999 --network kamal --hostname 1.1.1.1-"));
    const deploy = web.indexOf("docker exec kamal-proxy kamal-proxy deploy app-web --target=c0ffee123456:80 --deploy-timeout=30s --drain-timeout=30s --buffer-requests --buffer-responses --log-request-header=Cache-Control --log-request-header=Last-Modified --log-request-header=User-Agent");
    const stopOld = web.indexOf("docker container ls --all --filter 'name=^app-web-998$' --quiet | xargs docker stop");
    expect(run).toBeGreaterThan(web.indexOf("mkdir -p .kamal/apps/app/env/roles"));
    expect(deploy).toBeGreaterThan(run);
    expect(stopOld).toBeGreaterThan(deploy);
    expect(web.at(-2)).toBe("docker tag registry.example.com/app:999 registry.example.com/app:latest");
    expect(web.at(-1)).toBe("rm .kamal/lock-app/details && rm -r .kamal/lock-app");
    expect(f.runner.uploads.filter((u) => u.path === ".kamal/apps/app/env/roles/web.env")).toEqual([
      { host: "1.1.1.1", path: ".kamal/apps/app/env/roles/web.env", content: "\n", mode: 0o600 },
      { host: "1.1.1.2", path: ".kamal/apps/app/env/roles/web.env", content: "\n", mode: 0o600 },
    ]);
    expect(f.out.text).toContain("Start container with version 999 (or reboot if already running)...");
    expect(f.out.text).toContain("First web container is healthy on 1.1.1.");
  });

  test("non-proxy role: waits at the barrier, polls docker health, stops the old container with -t drain_timeout", async () => {
    bootFixture();
    await appBoot(f.ctx, "999");
    const workers = f.runner.lines("1.1.1.3");
    expect(workers.some((l) => l.startsWith("docker run --detach --restart unless-stopped --name app-workers-999"))).toBe(true);
    expect(workers).toContain("docker container ls --all --filter 'name=^app-workers-998$' --quiet | xargs docker stop -t 30");
    expect(f.out.text).toContain("Waiting for the first healthy web container before booting workers on 1.1.1.3...");
    expect(f.out.text).toContain("First web container is healthy, booting workers on 1.1.1.3...");
    expect(f.out.text).toContain("Container is running, waiting for readiness delay of 7 seconds");
    expect(f.out.text).toContain("Container is healthy!");
  });

  test("broken image: every web deploy fails, no worker container is created, new web containers stopped, old kept", async () => {
    bootFixture();
    f.runner.respond(/kamal-proxy deploy/, { code: 1, stderr: "Error: target failed to become healthy within configured timeout (30s)" });
    f.runner.respond(/xargs docker logs --tail 100/, { stdout: "httpd: bind: Address in use\n" });
    const err = await appBoot(f.ctx, "999").catch((e) => e);
    expect(err.message).toStartWith("Exceptions on 3 hosts:");
    expect(err.message).toContain("Halted at barrier");
    expect(f.runner.lines("1.1.1.3").some((l) => l.startsWith("docker run"))).toBe(false);
    for (const host of ["1.1.1.1", "1.1.1.2"]) {
      const lines = f.runner.lines(host);
      expect(lines).toContain("docker container ls --all --filter 'name=^app-web-999$' --quiet | xargs docker stop");
      expect(lines).not.toContain("docker container ls --all --filter 'name=^app-web-998$' --quiet | xargs docker stop");
      expect(lines.some((l) => l.startsWith("docker tag"))).toBe(false);
    }
    expect(f.out.text).toMatch(/First web container is unhealthy on 1\.1\.1\.[12], not booting any other roles/);
    expect(f.out.text).toContain("httpd: bind: Address in use");
    expect(f.out.text).toContain("First web container is unhealthy, not booting workers on 1.1.1.3");
    // The lock was taken and released.
    expect(f.runner.lines("1.1.1.1")).toContain("rm .kamal/lock-app/details && rm -r .kamal/lock-app");
  });

  test("one healthy web host opens the barrier: workers boot although another web host fails", async () => {
    bootFixture();
    f.runner.respond(/kamal-proxy deploy/, { code: 1, stderr: "Error: target failed to become healthy" }, "1.1.1.2");
    const err = await appBoot(f.ctx, "999").catch((e) => e);
    expect(err.message).toContain("1.1.1.2");
    // 1.1.1.2's deploy may fail first and close the barrier, or 1.1.1.1's may open it first: both are Kamal's
    // semantics; the order here is deterministic because both hosts run the same commands and 1.1.1.1 starts first.
    expect(f.runner.lines("1.1.1.3").some((l) => l.startsWith("docker run"))).toBe(true);
  });

  test("a clashing container of the same version is renamed out of the way first", async () => {
    bootFixture();
    f.runner.respond(/^docker container ls --all --filter 'name=\^app-web-999\$' --quiet$/, { stdout: "abc\n" }, "1.1.1.1");
    await appBoot(f.ctx, "999");
    expect(f.runner.lines("1.1.1.1")).toContainEqual(expect.stringMatching(/^docker rename app-web-999 app-web-999_replaced_[0-9a-f]{16}$/));
    expect(f.out.text).toMatch(/Renaming container 999 to 999_replaced_[0-9a-f]{16} as already deployed on 1\.1\.1\.1/);
  });

  test("boot groups: slices of the app hosts", () => {
    expect(bootGroups(["a", "b", "c"], undefined)).toEqual([["a", "b", "c"]]);
    expect(bootGroups(["a", "b", "c"], 2)).toEqual([["a", "b"], ["c"]]);
  });
});

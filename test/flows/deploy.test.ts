// setup/deploy/redeploy/rollback with the recording runner: the order of Kamal's steps, hooks, lock and messages.
import { afterEach, describe, expect, test } from "bun:test";
import { deploy, redeploy, rollback } from "../../src/flows/deploy.ts";
import { fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

const HOOKS = Object.fromEntries(["pre-deploy", "post-deploy", "pre-app-boot", "post-app-boot"].map((h) => [`.kamal/hooks/${h}`, "#!/bin/sh\n"]));

function deployFixture(): Fixture {
  f = fixture({ files: HOOKS, command: { command: "deploy" } });
  f.runner.respond(/xargs docker inspect --format '\{\{if/, { stdout: "running\n" });
  f.runner.respond(/^docker container ls --all --filter 'name=\^app-\w+-999\$' --quiet$/, { stdout: "c0ffee\n" });
  return f;
}

const index = (lines: string[], pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));

describe("deploy", () => {
  test("-P: pull, then under the lock pre-deploy, proxy, stale containers, boot, prune; post-deploy after the release", async () => {
    deployFixture();
    await deploy(f.ctx, { skipPush: true });
    const lines = f.runner.lines("1.1.1.1");
    const order = [
      /^docker pull registry\.example\.com\/app:999$/,
      /^mkdir \.kamal\/lock-app /,
      /kamal-proxy|docker network create kamal/,
      /^docker ps --filter label=service=app --filter label=destination= --filter label=role=web --format/,
      /^docker run --detach --restart unless-stopped --name app-web-999 /,
      /^docker exec kamal-proxy kamal-proxy deploy app-web --target=c0ffee:80 /,
      /^docker tag registry\.example\.com\/app:999 registry\.example\.com\/app:latest$/,
      /^docker ps -q -a --filter label=service=app --filter status=created/,
      /^docker image prune --force --filter label=service=app$/,
      /^rm \.kamal\/lock-app\/details && rm -r \.kamal\/lock-app$/,
    ].map((p) => index(lines, p));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const out = f.out.text;
    const said = ["Pull app image...", "Ensure kamal-proxy is running...", "Detect stale containers...", "Start container with version 999",
      "Prune old containers and images...", "Finished all in"].map((m) => out.indexOf(m));
    expect(said.every((i) => i >= 0)).toBe(true);
    expect([...said].sort((a, b) => a - b)).toEqual(said);
    // Hooks run on this machine (recorded here, not run).
    expect(f.runner.lines("localhost")).toEqual(["pre-deploy", "pre-app-boot", "post-app-boot", "post-deploy"].map((h) => `/usr/bin/env .kamal/hooks/${h}`));
    expect(out.indexOf("Finished all in")).toBeLessThan(out.lastIndexOf("hooks/post-deploy"));
  });

  test("redeploy: no proxy boot and no prune", async () => {
    deployFixture();
    await redeploy(f.ctx, { skipPush: true });
    const lines = f.runner.lines("1.1.1.1");
    expect(lines.some((l) => l.includes("kamal-proxy run") || l.startsWith("docker network create"))).toBe(false);
    expect(lines.some((l) => l.startsWith("docker image prune"))).toBe(false);
    expect(lines.some((l) => l.startsWith("docker run --detach --restart unless-stopped --name app-web-999"))).toBe(true);
  });

  test("stale containers of other versions are stopped before the boot", async () => {
    deployFixture();
    f.runner.respond(/label=role=web --format '\{\{\.Names\}\}'$/, { stdout: "app-web-997\napp-web-998\n" });
    f.runner.respond(/docker ps --latest --format .*label=role=web/, { stdout: "app-web-998\n" });
    await deploy(f.ctx, { skipPush: true });
    expect(f.runner.lines("1.1.1.1")).toContain("docker container ls --all --filter 'name=^app-web-997$' --quiet | xargs docker stop");
    expect(f.out.text).toContain("Stopping stale container for role web with version 997");
  });
});

describe("rollback", () => {
  test("a version with no container on some host: Kamal's message, no hooks, nothing booted", async () => {
    deployFixture();
    f.runner.respond(/^docker container ls --all --filter 'name=\^app-workers-123\$' --quiet$/, { stdout: "" });
    f.runner.respond(/^docker container ls --all --filter 'name=\^app-web-123\$' --quiet$/, { stdout: "abc\n" });
    const err = await rollback(f.ctx, "123").catch((e) => e);
    expect(err.message).toBe("The app version '123' is not available as a container (use 'kamal app containers' for available versions)");
    expect(f.out.text).toContain("Error looking for container version 123");
    expect(f.runner.lines().some((l) => l.includes("docker run"))).toBe(false);
    expect(f.runner.lines("localhost")).toEqual([]);
  });

  test("an existing version is booted again (renamed out of the way) and tagged latest", async () => {
    deployFixture();
    f.runner.respond(/^docker container ls --all --filter 'name=\^app-\w+-123\$' --quiet$/, { stdout: "abc\n" });
    await rollback(f.ctx, "123");
    const lines = f.runner.lines("1.1.1.1");
    expect(lines).toContainEqual(expect.stringMatching(/^docker rename app-web-123 app-web-123_replaced_[0-9a-f]{16}$/));
    expect(lines).toContainEqual(expect.stringMatching(/^docker run --detach --restart unless-stopped --name app-web-123 .* registry\.example\.com\/app:123$/));
    expect(lines).toContain("docker tag registry.example.com/app:123 registry.example.com/app:latest");
    expect(lines.some((l) => l.startsWith("docker pull"))).toBe(false);
  });
});

// SLOW (about a minute): `kamal server bootstrap` on the testbed host that has no Docker. get.docker.com is made
// unreachable (pointed at the host itself), so this also proves the fallback to the distribution's package (apt-get install docker.io from Debian's mirror).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, kamal, onHost, type App } from "./support.ts";
import { requireState } from "./testbed/state.ts";

const state = requireState();
const bare = state.bareHost!;

let app: App & { version: string };
beforeAll(async () => {
  app = await createApp("itboot", {
    hosts: [bare],
    files: { ".kamal/hooks/docker-setup": "#!/bin/sh\necho \"$KAMAL_HOSTS $KAMAL_LOCK\" > \"$PWD/docker-setup.ran\"\n" },
  });
});
afterAll(() => app?.cleanup());

describe("server bootstrap (slow)", () => {
  test("installs Docker on a host without it, then runs the docker-setup hook", async () => {
    // Keep the test off the internet: get.docker.com answers from the host itself (nothing listens there), so
    // Kamal's get.docker.com step fails at once without a DNS query and the distribution-package fallback runs.
    await onHost(state, bare, "grep -q ' get.docker.com$' /etc/hosts || echo '127.0.0.1 get.docker.com' >> /etc/hosts");
    const before = await onHost(state, bare, "docker -v");
    const r = await kamal(app, ["server", "bootstrap"]);
    if (r.code !== 0) console.error(r.output);
    expect(r.code).toBe(0);
    if (before.code !== 0) expect(r.stdout).toContain(`Missing Docker on ${bare.ip}. Installing…`);
    const after = await onHost(state, bare, "docker -v");
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^Docker version \d+\.\d+/);
    expect(readFileSync(join(app.dir, "docker-setup.ran"), "utf8")).toBe(`${bare.ip} true\n`);
    expect((await onHost(state, bare, "test -d .kamal && test ! -e .kamal/lock-itboot")).code).toBe(0);
    console.log(`bootstrap took ${r.seconds.toFixed(1)}s`);
  }, 400_000);

  test("a second bootstrap finds Docker and installs nothing", async () => {
    const r = await kamal(app, ["server", "bootstrap"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("Missing Docker");
  }, 60_000);
});

// `kamal accessory ...` against the docker-in-docker testbed: a busybox service with an ERB file, a data directory,
// clear and secret env, booted, inspected, exec'd, logged, rebooted with a changed env (data kept) and removed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, kamal, onHost, type App } from "./support.ts";
import { run } from "./testbed/proc.ts";
import { requireState } from "./testbed/state.ts";

let app: App & { version: string };
let image: string;
const state = requireState();
const host = state.hosts[1];

const accessoriesYml = (greeting: string) => `
accessories:
  store:
    image: IMAGE
    host: ${host.ip}
    cmd: sh -c 'echo booted $GREETING; exec sleep 100000'
    env:
      clear:
        GREETING: ${greeting}
      secret:
        - STORE_TOKEN
    files:
      - config/store.conf.erb:/etc/store/store.conf
    directories:
      - data:/data
    labels:
      purpose: integration
aliases:
  storesh: accessory exec store --reuse
`;

beforeAll(async () => {
  image = `${state.registry.address}/itacc-busybox:1`;
  await run(["docker", "tag", state.images.busybox, image]);
  await run(["docker", "push", image]);
  app = await createApp("itacc", {
    hosts: [state.hosts[0]],
    extraYml: accessoriesYml("hello").replace("IMAGE", image),
    files: {
      ".kamal/secrets": "STORE_TOKEN=t0ken-s3cret\n",
      "config/store.conf.erb": "token=<%= ENV[\"STORE_TOKEN\"] %> greeting=<%= ENV.fetch(\"GREETING\") %>\n",
    },
  });
}, 120_000);

afterAll(async () => {
  await onHost(state, host, "docker rm -f itacc-store; rm -rf itacc-store .kamal/apps/itacc; docker image rm -f " + image);
  app?.cleanup();
});

const sh = async (command: string) => (await onHost(state, host, command)).stdout.trim();

describe("accessory on the testbed", () => {
  test("boot: files rendered and uploaded, data directory, env file 0600, container running with labels", async () => {
    const r = await kamal(app, ["accessory", "boot", "store"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(await sh("docker ps --filter label=service=itacc-store --format '{{.Names}} {{.Label \"purpose\"}}'")).toBe("itacc-store integration");
    expect(await sh("cat itacc-store/etc/store/store.conf")).toBe("token=t0ken-s3cret greeting=hello");
    expect(await sh("stat -c %a itacc-store/etc/store/store.conf")).toBe("755");
    expect(await sh("test -d itacc-store/data && echo yes")).toBe("yes");
    expect(await sh("stat -c %a .kamal/apps/itacc/env/accessories/store.env")).toBe("600");
    expect(await sh("cat .kamal/apps/itacc/env/accessories/store.env")).toBe("STORE_TOKEN=t0ken-s3cret");
    expect(r.output).not.toContain("t0ken-s3cret");
    // A second boot leaves the running container alone.
    const again = await kamal(app, ["accessory", "boot", "store"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Skipping booting \`store\` on ${host.ip}, a container already exists`);
  }, 120_000);

  test("details, exec (new container and --reuse) and logs", async () => {
    const details = await kamal(app, ["accessory", "details", "all"]);
    expect(details.code).toBe(0);
    expect(details.stdout).toContain(`Accessory store Host: ${host.ip}\nCONTAINER ID`);
    expect(details.stdout).toContain("itacc-store");

    const fresh = await kamal(app, ["accessory", "exec", "store", "cat /etc/store/store.conf; echo $STORE_TOKEN"]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain("Launching command from new container...");
    expect(fresh.stdout).toContain(`App Host: ${host.ip}\ntoken=t0ken-s3cret greeting=hello`);

    const reuse = await kamal(app, ["accessory", "exec", "store", "--reuse", "sh -c 'echo kept > /data/keep; echo $GREETING'"]);
    expect(reuse.code).toBe(0);
    expect(reuse.stdout).toContain(`App Host: ${host.ip}\nhello\n`);
    expect(await sh("cat itacc-store/data/keep")).toBe("kept");

    // An alias from deploy.yml, the extra words appended (Kamal's DynamicCommand).
    const alias = await kamal(app, ["storesh", "cat /data/keep", "-h", host.ip]);
    expect(alias.code).toBe(0);
    expect(alias.stdout).toContain("Launching command from existing container...");
    expect(alias.stdout).toContain(`App Host: ${host.ip}\nkept\n`);

    const logs = await kamal(app, ["accessory", "logs", "store", "-T"]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain("booted hello\n");
    const grep = await kamal(app, ["accessory", "logs", "store", "-g", "BOOTED", "--grep-options=-i -c"]);
    expect(grep.stdout).toContain("1\n");
  }, 120_000);

  test("reboot with a changed env: new env, data kept", async () => {
    const yml = join(app.dir, "config/deploy.yml");
    writeFileSync(yml, readFileSync(yml, "utf8").replace("GREETING: hello", "GREETING: changed"));
    const r = await kamal(app, ["accessory", "reboot", "store"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const logs = await kamal(app, ["accessory", "logs", "store", "-T"]);
    expect(logs.stdout).toContain("booted changed\n");
    expect(logs.stdout).not.toContain("booted hello");
    expect(await sh("cat itacc-store/data/keep")).toBe("kept");
    expect(await sh("cat itacc-store/etc/store/store.conf")).toBe("token=t0ken-s3cret greeting=changed");
  }, 120_000);

  test("an unknown accessory is one clear line", async () => {
    const r = await kamal(app, ["accessory", "details", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("  ERROR (ArgumentError): No accessory by the name of 'nope' (options: store)\n");
  });

  test("remove -y: container, image and data directory gone", async () => {
    const r = await kamal(app, ["accessory", "remove", "store", "-y"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(await sh("docker ps -a -q --filter label=service=itacc-store")).toBe("");
    expect(await sh("test -e itacc-store && echo left || echo gone")).toBe("gone");
    expect(await sh(`docker image ls -q ${image}`)).toBe("");
  }, 120_000);
});

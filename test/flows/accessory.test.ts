import { afterEach, describe, expect, test } from "bun:test";
import { ArgumentError } from "../../src/errors.ts";
import { accessoryBoot, accessoryReboot, accessoryRemove, toSentence } from "../../src/flows/accessory.ts";
import { accessoryDetails, accessoryExec, accessoryLogs } from "../../src/flows/accessory-exec.ts";
import { DEPLOY_YML, fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

const YML = `${DEPLOY_YML}accessories:
  db:
    image: mysql:8
    host: 1.1.1.3
    env:
      clear: { A: "1" }
      secret: [DB_PASSWORD]
    files:
      - config/my.cnf.erb:/etc/my.cnf
    directories:
      - data:/var/lib/mysql
  cache:
    image: redis
    roles: [web]
`;
const files = {
  "config/deploy.yml": YML,
  "config/my.cnf.erb": "password=<%= ENV['DB_PASSWORD'] %> a=<%= ENV['A'] %>\n",
  ".kamal/secrets": "DB_PASSWORD=s3cret\n",
};
const withoutLockAndAudit = (lines: string[]) => lines.filter((l) => !/lock-app|audit\.log|^mkdir -p \.kamal$/.test(l));

describe("accessory boot", () => {
  test("login, network, directories, rendered files, env file 0600, docker run; the secret never shown", async () => {
    f = fixture({ files });
    await accessoryBoot(f.ctx, "db");
    const lines = withoutLockAndAudit(f.runner.lines("1.1.1.3"));
    expect(lines).toEqual([
      "docker login registry.example.com -u user --password-stdin",
      "docker network create kamal",
      "docker ps -a -q --filter label=service=app-db",
      "mkdir -p $PWD/app-db/data",
      "mkdir -p app-db/etc",
      "chmod 755 app-db/etc/my.cnf",
      "mkdir -p .kamal/apps/app/env/accessories",
      expect.stringMatching(/^docker run --name app-db --detach --restart unless-stopped --network kamal .* --env KAMAL_HOST=1\.1\.1\.3 --env A=1 --env-file \.kamal\/apps\/app\/env\/accessories\/db\.env .* mysql:8$/),
    ]);
    const uploads = f.runner.uploads.map(({ path, content, mode }) => ({ path, content, mode: mode.toString(8) }));
    expect(uploads).toEqual([
      { path: "app-db/etc/my.cnf", content: "password=s3cret a=1\n", mode: "644" },
      { path: ".kamal/apps/app/env/accessories/db.env", content: "DB_PASSWORD=s3cret\n", mode: "600" },
    ]);
    expect(f.out.text + f.runner.output.text).not.toContain("s3cret");
  });

  test("hosts that already run it are skipped (files still uploaded); an existing network is fine", async () => {
    f = fixture({ files });
    f.runner.respond("docker network create", { code: 1, stderr: "network with name kamal already exists" });
    f.runner.respond("docker ps -a -q", { stdout: "abc\n" }, "1.1.1.1");
    await accessoryBoot(f.ctx, "cache");
    expect(f.out.text).toContain("Skipping booting `cache` on 1.1.1.1, a container already exists\n");
    expect(f.runner.lines("1.1.1.1").some((l) => l.startsWith("docker run"))).toBe(false);
    expect(f.runner.lines("1.1.1.2").some((l) => l.startsWith("docker run --name app-cache"))).toBe(true);
  });

  test("a missing local file stops the boot before any container runs", async () => {
    const { "config/my.cnf.erb": _erb, ...withoutFile } = files;
    f = fixture({ files: withoutFile });
    const err = await accessoryBoot(f.ctx, "db").catch((e) => e);
    expect(err.message).toBe("Missing file: config/my.cnf.erb");
    expect(f.runner.lines().some((l) => l.includes("docker run"))).toBe(false);
  });

  test("an unknown name lists the accessories", async () => {
    f = fixture({ files });
    const err = await accessoryBoot(f.ctx, "nope").catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toBe("No accessory by the name of 'nope' (options: db and cache)");
    expect(toSentence(["a", "b", "c"])).toBe("a, b, and c");
  });
});

describe("accessory reboot and remove", () => {
  test("reboot: pull, stop, remove the container, boot without a second login", async () => {
    f = fixture({ files });
    await accessoryReboot(f.ctx, "cache");
    expect(withoutLockAndAudit(f.runner.lines("1.1.1.2")).slice(0, 6)).toEqual([
      "docker login registry.example.com -u user --password-stdin",
      "docker network create kamal",
      "docker image pull redis",
      "docker container stop app-cache",
      "docker container prune --force --filter label=service=app-cache",
      "docker ps -a -q --filter label=service=app-cache",
    ]);
    expect(f.runner.lines("1.1.1.2").filter((l) => l.startsWith("docker login"))).toHaveLength(1);
  });

  test("remove all: stop, container, image, service directory, for every accessory", async () => {
    f = fixture({ files });
    await accessoryRemove(f.ctx, "all");
    expect(withoutLockAndAudit(f.runner.lines("1.1.1.3"))).toEqual([
      "docker container stop app-db",
      "docker container prune --force --filter label=service=app-db",
      "docker image rm --force mysql:8",
      "rm -rf app-db",
    ]);
    expect(withoutLockAndAudit(f.runner.lines("1.1.1.1"))).toEqual([
      "docker container stop app-cache",
      "docker container prune --force --filter label=service=app-cache",
      "docker image rm --force redis",
      "rm -rf app-cache",
    ]);
  });
});

describe("accessory details, exec, logs", () => {
  test("details: Accessory <name> Host: <h> headers", async () => {
    f = fixture({ files });
    f.runner.respond("docker ps", { stdout: "CONTAINER ID\n" });
    await accessoryDetails(f.ctx, "db");
    expect(f.out.text).toEndWith("\nAccessory db Host: 1.1.1.3\nCONTAINER ID\n\n");
  });

  test("-i goes through ssh -t to the first host; --raw with -i is refused", async () => {
    f = fixture({ files });
    const argvs: string[][] = [];
    const code = await accessoryExec(f.ctx, "db", ["mysql"], { interactive: true, reuse: true }, (argv) => { argvs.push(argv); return 7; });
    expect(code).toBe(7);
    expect(argvs[0].slice(-5, -1)).toEqual(["-t", "root@1.1.1.3", "-p", "22"]);
    expect(argvs[0].at(-1)).toBe("docker exec -it app-db mysql");
    expect(argvs[0]).toContain("root@1.1.1.3");
    await expect(accessoryExec(f.ctx, "db", ["x"], { interactive: true, raw: true })).rejects.toThrow("Raw is not compatible with interactive");
  });

  test("logs: 100 lines by default; -f follows 10 lines on the first host over ssh -t", async () => {
    f = fixture({ files });
    f.runner.respond("docker logs", { stdout: "line\n" });
    await accessoryLogs(f.ctx, "db");
    expect(f.runner.lines("1.1.1.3")).toEqual(["docker logs app-db --tail 100 --timestamps 2>&1"]);
    const argvs: string[][] = [];
    await accessoryLogs(f.ctx, "cache", { follow: true, grep: "err" }, (argv) => { argvs.push(argv); return 0; });
    expect(argvs[0]).toContain("root@1.1.1.1");
    expect(argvs[0].at(-1)).toBe("docker logs app-cache --timestamps --follow 2>&1 | grep err");
  });
});

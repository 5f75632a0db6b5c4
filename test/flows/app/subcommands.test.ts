import { afterEach, describe, expect, test } from "bun:test";
import { appExec } from "../../../src/flows/app/exec.ts";
import { appLogs } from "../../../src/flows/app/logs.ts";
import { appLive, appMaintenance } from "../../../src/flows/app/maintenance.ts";
import { appRemove } from "../../../src/flows/app/remove.ts";
import { appStart, appStop } from "../../../src/flows/app/start-stop.ts";
import { fixture, type Fixture } from "../context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());
const work = (lines: string[]) => lines.filter((l) => !/lock-app|audit\.log|^mkdir -p \.kamal$/.test(l));
const RUNNING_NAME = /docker ps --latest --format/;

describe("app maintenance and live", () => {
  test("maintenance: kamal-proxy stop with the drain timeout (config default) and message, proxy roles only", async () => {
    f = fixture();
    await appMaintenance(f.ctx, { message: "back soon" });
    expect(work(f.runner.lines("1.1.1.1"))).toEqual(["docker exec kamal-proxy kamal-proxy stop app-web --drain-timeout=30s '--message=back soon'"]);
    expect(work(f.runner.lines("1.1.1.3"))).toEqual([]);
    await appLive(f.ctx);
    expect(work(f.runner.lines("1.1.1.2")).at(-1)).toBe("docker exec kamal-proxy kamal-proxy resume app-web");
  });
});

describe("app start and stop", () => {
  test("stop: out of kamal-proxy when a container runs, then docker stop of the current one", async () => {
    f = fixture();
    f.runner.respond(RUNNING_NAME, { stdout: "app-web-123\n" }).respond("name=^app-web-123$", { stdout: "cid\n" });
    await appStop(f.ctx);
    const lines = work(f.runner.lines("1.1.1.1"));
    expect(lines[1]).toBe("docker container ls --all --filter 'name=^app-web-123$' --quiet");
    expect(lines[2]).toBe("docker exec kamal-proxy kamal-proxy remove app-web");
    expect(lines[3]).toMatch(/\| head -1 \| xargs docker stop$/);
    expect(work(f.runner.lines("1.1.1.3")).some((l) => l.includes("kamal-proxy remove"))).toBe(false);
  });

  test("start: docker start of the configured version, then kamal-proxy deploy to it", async () => {
    f = fixture();
    f.runner.respond(RUNNING_NAME, { stdout: "app-web-999\n" }).respond("name=^app-web-999$", { stdout: "cid\n" });
    await appStart(f.ctx);
    const lines = work(f.runner.lines("1.1.1.1"));
    expect(lines[0]).toBe("docker start app-web-999");
    expect(lines.at(-1)).toStartWith("docker exec kamal-proxy kamal-proxy deploy app-web --target=cid:80 ");
    expect(work(f.runner.lines("1.1.1.3"))).toEqual(["docker start app-workers-999"]);
  });
});

describe("app remove", () => {
  test("stop, containers per role, then images and directories where every role goes", async () => {
    f = fixture();
    await appRemove(f.ctx);
    expect(work(f.runner.lines("1.1.1.3"))).toEqual([
      expect.stringMatching(/xargs docker stop/),
      "docker container prune --force --filter label=service=app --filter label=destination= --filter label=role=workers",
      "docker image prune --all --force --filter label=service=app",
      "rm -r .kamal/apps/app",
      "rm -r .kamal/proxy/apps-config/app",
    ]);
  });

  test("-r workers on a shared host keeps the images and directories", async () => {
    f = fixture({ files: { "config/deploy.yml": "service: app\nimage: app\nservers:\n  web: [1.1.1.1]\n  workers: [1.1.1.1]\nregistry:\n  server: r.example.com\n  username: u\n  password: p\nbuilder:\n  arch: amd64\n" }, filters: { roles: ["workers"] } });
    await appRemove(f.ctx);
    const lines = work(f.runner.lines("1.1.1.1"));
    expect(lines.some((l) => l.includes("image prune"))).toBe(false);
    expect(lines.some((l) => l.startsWith("rm -r"))).toBe(false);
    expect(lines.some((l) => l.includes("label=role=workers"))).toBe(true);
  });
});

describe("app exec", () => {
  test("default: login on the app hosts, a new container of the latest image per host and role, output per host", async () => {
    f = fixture();
    f.runner.respond("docker run", { stdout: "hi\n" });
    await appExec(f.ctx, ["echo", "hi"]);
    const lines = work(f.runner.lines("1.1.1.3"));
    expect(lines[0]).toBe("docker login registry.example.com -u user --password-stdin");
    expect(lines[1]).toMatch(/^docker run --rm --name app-workers-exec-latest-[0-9a-f]{6} --network kamal .* registry.example.com\/app:latest echo hi$/);
    expect(f.out.text).toContain("Get most recent version available as an image...\nLaunching command with version latest from new container...\n");
    expect(f.out.text).toContain("App Host: 1.1.1.3\nhi\n\n");
  });

  test("--reuse: the running version's container; -i --reuse: ssh -t to the primary host", async () => {
    f = fixture();
    f.runner.respond(RUNNING_NAME, { stdout: "app-web-777\n" });
    await appExec(f.ctx, ["ls"], { reuse: true, env: { A: "1" } });
    expect(work(f.runner.lines("1.1.1.2")).at(-1)).toBe("docker exec --env A=1 app-web-777 ls");
    const argvs: string[][] = [];
    await appExec(f.ctx, ["sh"], { interactive: true, reuse: true }, (argv) => { argvs.push(argv); return 0; });
    expect(argvs[0]).toContain("root@1.1.1.1");
    expect(argvs[0].at(-1)).toBe("docker exec -it app-web-777 sh");
    expect(f.out.text).toContain("Launching interactive command with version 777 via SSH from existing container on 1.1.1.1...");
  });

  test("option conflicts and a missing command are one line each", async () => {
    f = fixture();
    await expect(appExec(f.ctx, ["x"], { detach: true, reuse: true })).rejects.toThrow("Detach is not compatible with reuse");
    await expect(appExec(f.ctx, ["x"], { raw: true, interactive: true })).rejects.toThrow("Raw is not compatible with interactive or detach");
    await expect(appExec(f.ctx, [])).rejects.toThrow("No command provided. You must specify a command to execute.");
  });
});

describe("app logs", () => {
  test("per host and role; a failure prints Nothing found", async () => {
    f = fixture();
    f.runner.respond("xargs docker logs", { stdout: "line\n" });
    f.runner.respond("xargs docker logs", { code: 1 }, "1.1.1.3");
    await appLogs(f.ctx);
    expect(f.out.text).toContain("App Host: 1.1.1.1\nline\n\n");
    expect(f.out.text).toContain("App Host: 1.1.1.3\nNothing found\n\n");
  });

  test("-f: ssh -t to the primary host, 10 lines", async () => {
    f = fixture();
    const argvs: string[][] = [];
    await appLogs(f.ctx, { follow: true }, (argv) => { argvs.push(argv); return 130; });
    expect(argvs[0]).toContain("root@1.1.1.1");
    expect(argvs[0].at(-1)).toEndWith("| head -1 | xargs docker logs --timestamps --tail 10 --follow 2>&1");
  });
});

// `kamal build deliver` on the testbed: a real git repo, the clone build (or the working tree with builder.context),
// the classic builder (no buildx here), a push to the testbed's registry and a pull on every host.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { APP_FILES, cloneDirectory } from "./build-app.ts";
import { createApp, kamal, onHost, type App } from "./support.ts";
import { run } from "./testbed/proc.ts";

const apps: App[] = [];
afterAll(() => {
  for (const app of apps) {
    rmSync(cloneDirectory(app), { recursive: true, force: true });
    app.cleanup();
  }
});

async function newApp(service: string, extraYml = ""): Promise<App & { version: string }> {
  const app = await createApp(service, { files: APP_FILES, extraYml });
  apps.push(app);
  return app;
}

/** The files in /app of the image on a host. */
async function filesInImage(app: App, host: App["state"]["hosts"][number], image: string): Promise<string[]> {
  const r = await onHost(app.state, host, `docker run --rm --entrypoint ls ${image} -a /app`);
  expect(r.code).toBe(0);
  return r.stdout.split(/\s+/).filter(Boolean);
}

describe("build deliver", () => {
  test("from the git clone: on every host, with the service label, without ignored or uncommitted files", async () => {
    const app = await newApp("itbuild");
    writeFileSync(join(app.dir, "uncommitted.txt"), "local change\n");
    const r = await kamal(app, ["build", "deliver"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("Building from a local git clone, so ignoring these uncommitted changes:\n ?? uncommitted.txt");
    expect(r.output).toContain("Docker buildx is not installed locally, so building with the classic builder");
    const image = `${app.state.registry.address}/itbuild:${app.version}`;
    for (const host of app.state.hosts) {
      const label = await onHost(app.state, host, `docker image inspect -f '{{ .Config.Labels.service }}' ${image}`);
      expect(label.stdout.trim()).toBe("itbuild");
      const files = await filesInImage(app, host, image);
      expect(files).toContain("Dockerfile");
      expect(files).not.toContain("ignored.txt");
      expect(files).not.toContain("uncommitted.txt");
      const audit = await onHost(app.state, host, "cat .kamal/itbuild-audit.log");
      expect(audit.stdout).toContain(`Pulled image with version ${app.version}`);
    }
  });

  test("builder.context: . builds the working tree: the uncommitted file is in, the version is <sha>_uncommitted_<hex>", async () => {
    const app = await newApp("itbuildctx");
    const yml = join(app.dir, "config/deploy.yml");
    writeFileSync(yml, readFileSync(yml, "utf8").replace("  arch: amd64", "  arch: amd64\n  context: ."));
    await run(["git", "-C", app.dir, "commit", "-q", "-am", "context"], { env: app.env });
    const head = (await run(["git", "-C", app.dir, "rev-parse", "HEAD"])).stdout.trim();
    writeFileSync(join(app.dir, "uncommitted.txt"), "local change\n");
    const r = await kamal(app, ["build", "deliver"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("Building with uncommitted changes:\n ?? uncommitted.txt");
    const version = new RegExp(`${app.state.registry.address.replace(/\./g, "\\.")}/itbuildctx:(${head}_uncommitted_[0-9a-f]{16})`).exec(r.output)?.[1];
    expect(version).toBeDefined();
    const files = await filesInImage(app, app.state.hosts[0]!, `${app.state.registry.address}/itbuildctx:${version}`);
    expect(files).toContain("uncommitted.txt");
    expect(files).not.toContain("ignored.txt");
  });

  test("a broken Dockerfile: exit 1, the build's last lines shown, nothing pushed, no host touched", async () => {
    const app = await newApp("itbuildbroken");
    writeFileSync(join(app.dir, "Dockerfile"), "FROM kamal-testbed-busybox:latest\nRUN exit 42\n");
    await run(["git", "-C", app.dir, "commit", "-q", "-am", "broken"], { env: app.env });
    const r = await kamal(app, ["build", "deliver"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERROR \(Kamal::Cli::Build::BuildError\): Building .*itbuildbroken:.* failed \(exit status \d+\)/);
    expect(r.stderr).toContain("returned a non-zero code: 42");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const tags = await fetch(`http://${app.state.registry.address}/v2/itbuildbroken/tags/list`);
    expect(tags.status).toBe(404);
    for (const host of app.state.hosts) {
      expect((await onHost(app.state, host, "test -e .kamal/itbuildbroken-audit.log")).code).not.toBe(0);
    }
  });
});

describe("clone recovery", () => {
  test("a dirty clone, a clone on another revision and a directory that is not a git repository: rebuilt, the build succeeds", async () => {
    const app = await newApp("itclone");
    expect((await kamal(app, ["build", "push"])).code).toBe(0);
    const build = join(cloneDirectory(app), app.dir.split("/").pop()!);

    writeFileSync(join(build, "Dockerfile"), "garbage\n");
    writeFileSync(join(build, "stray.txt"), "stray\n");
    let r = await kamal(app, ["build", "push"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain(`Resetting local clone as \`${build}\` already exists...`);

    await run(["git", "-C", build, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "-q", "--allow-empty", "-m", "elsewhere"]);
    r = await kamal(app, ["build", "push"]);
    expect(r.code).toBe(0);
    expect((await run(["git", "-C", build, "rev-parse", "HEAD"])).stdout.trim()).toBe(app.version);

    rmSync(cloneDirectory(app), { recursive: true, force: true });
    mkdirSync(build, { recursive: true });
    writeFileSync(join(build, "not-a-repo.txt"), "x\n");
    r = await kamal(app, ["build", "push"]);
    expect(r.code).toBe(0);
    expect(r.output).toContain("Error preparing clone: Failed to clone repo:");
    expect(r.output).toContain("deleting and retrying...");
    expect((await run(["git", "-C", build, "status", "--porcelain"])).stdout).toBe("");
  });

  test("a clone that cannot be made: one error, exit 1", async () => {
    const app = await newApp("itclonefail");
    const r = await kamal(app, ["build", "push"], { TMPDIR: "/proc/self/fdinfo" });
    expect(r.code).toBe(1);
    expect(r.output).toContain("Error preparing clone: Failed to clone repo:");
    expect(r.stderr).toMatch(/\n  ERROR \(Kamal::Cli::Build::BuildError\): Failed to clone repo: [^\n]*\n$/);
  });
});

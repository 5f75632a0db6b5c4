// build push/pull/deliver at the command level (RecordingRunner); the real thing runs in integration/build*.test.ts.
import { afterEach, describe, expect, test } from "bun:test";
import { buildPull, buildPush, deliver } from "../../src/flows/build.ts";
import { DEPLOY_YML, fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());
const IMG = "registry.example.com/app:999";
const LOCAL_YML = DEPLOY_YML.replace(/registry:\n(  .*\n)+/, "registry:\n  server: localhost:5555\n");
const files = { Dockerfile: "FROM scratch\n" };

describe("build push", () => {
  test("with buildx: check, login here, inspect, build in the working tree (no git repo), streamed", async () => {
    f = fixture({ files });
    await buildPush(f.ctx);
    expect(f.runner.lines()).toEqual([
      "localhost: docker --version && docker buildx version",
      "localhost: docker login registry.example.com -u user --password-stdin",
      "localhost: docker buildx inspect kamal-local-docker-container",
      `localhost: docker buildx build --output=type=registry --platform linux/amd64 --builder kamal-local-docker-container -t ${IMG} -t registry.example.com/app:latest --label service=app --file Dockerfile . 2>&1`,
    ]);
  });

  test("missing builder: warn, remove, create, then build", async () => {
    f = fixture({ files });
    f.runner.respond("buildx inspect", { code: 1, stderr: "ERROR: no builder \"kamal-local-docker-container\" found" });
    f.runner.respond("buildx rm", { code: 1, stderr: "ERROR: no builder \"kamal-local-docker-container\" found" });
    await buildPush(f.ctx, { noCache: true });
    expect(f.out.text).toContain("Missing compatible builder, so creating a new one first");
    expect(f.runner.lines().slice(2, 6)).toEqual([
      "localhost: docker buildx inspect kamal-local-docker-container",
      "localhost: docker buildx rm kamal-local-docker-container",
      "localhost: docker buildx create --name kamal-local-docker-container --driver=docker-container",
      expect.stringContaining("--no-cache . 2>&1"),
    ]);
  });

  test("no buildx: one notice, classic build, push of both tags", async () => {
    f = fixture({ files });
    f.runner.respond("docker --version && docker buildx version", { code: 1, stderr: "docker: 'buildx' is not a docker command.\n" });
    f.runner.respond("docker info --format", { stdout: "x86_64\n" });
    await buildPush(f.ctx);
    expect(f.out.text).toContain("Docker buildx is not installed locally, so building with the classic builder");
    expect(f.runner.lines().slice(3)).toEqual([
      `localhost: env DOCKER_BUILDKIT=0 docker build -t ${IMG} -t registry.example.com/app:latest --label service=app --file Dockerfile . 2>&1`,
      `localhost: docker push ${IMG}`,
      "localhost: docker push registry.example.com/app:latest",
    ]);
  });

  test("no buildx and a multi-arch build: Kamal's error plus how to install buildx", async () => {
    f = fixture({ files: { ...files, "config/deploy.yml": DEPLOY_YML.replace("arch: amd64", "arch: [amd64, arm64]") } });
    f.runner.respond("docker --version && docker buildx version", { code: 1, stderr: "docker: 'buildx' is not a docker command.\n" });
    f.runner.respond("docker info --format", { stdout: "x86_64\n" });
    expect(buildPush(f.ctx)).rejects.toThrow(/^Docker buildx plugin is not installed locally; this build needs it for arch amd64, arm64 .*install the Docker buildx plugin/);
  });

  test("a failed build: BuildError with the last output lines, nothing pushed", async () => {
    f = fixture({ files });
    f.runner.respond("docker --version && docker buildx version", { code: 1, stderr: "docker: 'buildx' is not a docker command.\n" });
    f.runner.respond("docker info --format", { stdout: "x86_64\n" });
    f.runner.respond("docker build", { code: 1, stdout: "Step 1/2 : FROM scratch\nStep 2/2 : RUN nope\nunknown instruction: NOPE\n" });
    const error = await buildPush(f.ctx).catch((e) => e);
    expect(error.kind).toBe("Kamal::Cli::Build::BuildError");
    expect(error.message).toMatch(/^Building registry\.example\.com\/app:999 failed \(exit status 1\): env DOCKER_BUILDKIT=0 docker build .*\nStep 1\/2 : FROM scratch\nStep 2\/2 : RUN nope\nunknown instruction: NOPE$/);
    expect(f.runner.lines().some((l) => l.includes("docker push"))).toBe(false);
  });

  test("missing Dockerfile", async () => {
    f = fixture();
    expect(buildPush(f.ctx)).rejects.toThrow("Missing Dockerfile");
  });

  test("local registry: started here instead of a login; builder for the local registry", async () => {
    f = fixture({ files: { ...files, "config/deploy.yml": LOCAL_YML } });
    await buildPush(f.ctx);
    expect(f.runner.lines().slice(0, 3)).toEqual([
      "localhost: docker --version && docker buildx version",
      "localhost: docker start kamal-docker-registry || docker run --detach -p 127.0.0.1:5555:5000 --name kamal-docker-registry registry:3",
      "localhost: docker buildx inspect kamal-local-registry-docker-container",
    ]);
  });
});

describe("build pull", () => {
  test("login on app hosts, mirror probe, then audit, clean, pull and label check per host", async () => {
    f = fixture();
    f.runner.respond("RegistryConfig.Mirrors", { code: 1, stderr: "template: :1:2: executing \"\" at <index .RegistryConfig.Mirrors 0>: error calling index: reflect: slice index out of range" });
    await buildPull(f.ctx);
    const host = f.runner.lines("1.1.1.3");
    expect(host[0]).toBe("docker login registry.example.com -u user --password-stdin");
    expect(host[1]).toBe("docker info --format '{{index .RegistryConfig.Mirrors 0}}'");
    expect(host[2]).toMatch(/^mkdir -p \.kamal && echo '\[2024-05-01T10:00:00Z\] \[deployer@example.com\] Pulled image with version 999' >> \.kamal\/app-audit\.log$/);
    expect(host.slice(3)).toEqual([
      `docker image rm --force ${IMG}`,
      `docker pull ${IMG}`,
      `docker inspect -f '{{ .Config.Labels.service }}' ${IMG} | grep -x app || { echo 'Image ${IMG} is missing the '\\''service'\\'' label' && exit 1; }`,
    ]);
  });

  test("mirrors: one host per mirror pulls first", async () => {
    f = fixture();
    f.runner.respond("RegistryConfig.Mirrors", { stdout: "https://mirror.example.com\n" });
    await buildPull(f.ctx);
    expect(f.out.text).toMatch(/Pulling image on 1\.1\.1\.1 to seed the mirror\.\.\.\n(.*\n)+Pulling image on remaining hosts\.\.\./);
    const pulls = f.runner.lines().filter((l) => l.includes("docker pull")).map((l) => l.split(":")[0]);
    expect(pulls[0]).toBe("1.1.1.1");
  });

  test("local registry: no login, a forward on every host while pulling, all closed afterwards", async () => {
    f = fixture({ files: { "config/deploy.yml": LOCAL_YML } });
    f.runner.respond("RegistryConfig.Mirrors", { stdout: "" });
    await buildPull(f.ctx);
    expect(f.out.text).toContain("Setting up local registry port forwarding to 1.1.1.1, 1.1.1.2, 1.1.1.3...");
    expect(f.runner.forwards.map((x) => [x.host, x.bind, x.target, x.closed])).toEqual([
      ["1.1.1.1", "127.0.0.1:5555", "127.0.0.1:5555", true],
      ["1.1.1.2", "127.0.0.1:5555", "127.0.0.1:5555", true],
      ["1.1.1.3", "127.0.0.1:5555", "127.0.0.1:5555", true],
    ]);
    expect(f.runner.lines().some((l) => l.includes("login"))).toBe(false);
    expect(f.runner.lines("1.1.1.1")).toContain("docker pull localhost:5555/app:999");
  });

  test("a host whose image lacks the label fails, the others finish", async () => {
    f = fixture();
    f.runner.respond("grep -x app", { code: 1, stdout: `Image ${IMG} is missing the 'service' label\n` }, "1.1.1.2");
    const error = await buildPull(f.ctx).catch((e) => e);
    expect(error.message).toContain("1.1.1.2");
    expect(f.runner.lines("1.1.1.3")).toContain(`docker pull ${IMG}`);
  });
});

describe("deliver", () => {
  test("push then pull", async () => {
    f = fixture({ files });
    await deliver(f.ctx);
    const lines = f.runner.lines();
    const build = lines.findIndex((l) => l.includes("buildx build"));
    const pull = lines.findIndex((l) => l.includes("docker pull"));
    expect(build).toBeGreaterThan(-1);
    expect(pull).toBeGreaterThan(build);
  });
});

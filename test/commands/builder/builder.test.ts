// Every build line of reference §3.12, rendered exactly.
import { describe, expect, test } from "bun:test";
import * as b from "../../../src/commands/builder/index.ts";
import { displayCmd, renderCmd } from "../../../src/shell/index.ts";
import { makeConfig } from "../../config/derived-helpers.ts";

const IMG = "dhh/app:999";
const LATEST = "dhh/app:latest";
const r = renderCmd;
const local = (raw: Record<string, unknown> = {}, dockerArch = "amd64") => b.builderFor({ config: makeConfig(raw), dockerArch });

describe("local builder", () => {
  test("push: output, platform, builder, tags, label, file, context, 2>&1", () => {
    const builder = local();
    expect(builder.kind).toBe("local");
    expect(r(builder.push())).toBe(
      `docker buildx build --output=type=registry --platform linux/amd64 --builder kamal-local-docker-container -t ${IMG} -t ${LATEST} --label service=app --file Dockerfile . 2>&1`,
    );
  });
  test("multi-arch, no-cache, dev tags and another output", () => {
    const builder = local({ builder: { arch: ["amd64", "arm64"] } });
    expect(r(builder.push({ output: "docker", noCache: true, dirty: true }))).toBe(
      `docker buildx build --output=type=docker --platform linux/amd64,linux/arm64 --builder kamal-local-docker-container -t ${IMG}-dirty -t ${LATEST}-dirty --label service=app --file Dockerfile --no-cache . 2>&1`,
    );
  });
  test("every option in Kamal's order; build args redacted in logs; secrets by id only", () => {
    const builder = local({
      builder: {
        arch: "amd64", args: { RUBY_VERSION: "3.3", EMPTY: null, OFF: false }, secrets: ["GITHUB_TOKEN"], dockerfile: "Dockerfile.xyz",
        target: "prod", ssh: "default=/tmp/agent.sock", provenance: false, sbom: true,
        cache: { type: "registry", options: "mode=max", image: "app-cache" },
      },
    });
    const tail = "--cache-to type=registry,ref=app-cache,mode=max --cache-from type=registry,ref=app-cache --label service=app";
    const rest = "--secret id=GITHUB_TOKEN --file Dockerfile.xyz --target prod --ssh default=/tmp/agent.sock --provenance false --sbom true . 2>&1";
    const head = `docker buildx build --output=type=registry --platform linux/amd64 --builder kamal-local-docker-container -t ${IMG} -t ${LATEST}`;
    expect(r(builder.push())).toBe(`${head} ${tail} --build-arg RUBY_VERSION=3.3 --build-arg EMPTY --build-arg OFF=false ${rest}`);
    expect(displayCmd(builder.push())).toBe(`${head} ${tail} --build-arg RUBY_VERSION=[REDACTED] --build-arg EMPTY --build-arg OFF=false ${rest}`);
  });
  test("gha cache keeps only Kamal's from-options", () => {
    const builder = local({ builder: { arch: "amd64", cache: { type: "gha", options: "mode=max,url=http://x,scope=s" } } });
    expect(r(builder.push())).toContain("--cache-to type=gha,mode=max,url=http://x,scope=s --cache-from type=gha,url=http://x,scope=s --label");
  });
  test("create, inspect, remove, info", () => {
    const builder = local();
    expect(r(builder.create()!)).toBe("docker buildx create --name kamal-local-docker-container --driver=docker-container");
    expect(r(builder.inspect()!)).toBe("docker buildx inspect kamal-local-docker-container");
    expect(r(builder.remove()!)).toBe("docker buildx rm kamal-local-docker-container");
    expect(r(builder.info())).toBe("docker context ls && docker buildx ls");
    expect(builder.loginLocally).toBe(true);
  });
  test("local registry: its own builder name and host networking", () => {
    const builder = local({ registry: { server: "localhost:5555" } });
    expect(r(builder.create()!)).toBe("docker buildx create --name kamal-local-registry-docker-container --driver=docker-container --driver-opt network=host");
    expect(r(builder.push())).toContain("--builder kamal-local-registry-docker-container -t localhost:5555/dhh/app:999 -t localhost:5555/dhh/app:latest");
  });
  test("docker driver: no builder, no --builder, no platform without arch", () => {
    const builder = local({ builder: { driver: "docker" } });
    expect(builder.create()).toBeUndefined();
    expect(builder.inspect()).toBeUndefined();
    expect(builder.remove()).toBeUndefined();
    expect(r(builder.push())).toBe(`docker buildx build --output=type=registry -t ${IMG} -t ${LATEST} --label service=app --file Dockerfile . 2>&1`);
  });
  test("destination tags and context", () => {
    const config = makeConfig({ builder: { arch: "amd64", context: "./app" } }, { destination: "staging" });
    expect(r(b.builderFor({ config, dockerArch: "amd64" }).push())).toBe(
      `docker buildx build --output=type=registry --platform linux/amd64 --builder kamal-local-docker-container -t ${IMG} -t dhh/app:latest-staging --label service=app --file Dockerfile ./app 2>&1`,
    );
  });
});

describe("remote and hybrid builders", () => {
  const remote = { arch: "arm64", remote: "ssh://app@1.1.1.5" };
  test("remote: names, create, inspect, remove, info, env", () => {
    const builder = local({ builder: remote }, "amd64");
    expect(builder.kind).toBe("remote");
    expect(builder.name).toBe("kamal-remote-ssh---app-1-1-1-5");
    expect(r(builder.create()!)).toBe(
      "docker context create kamal-remote-ssh---app-1-1-1-5-context --description 'kamal-remote-ssh---app-1-1-1-5 host' --docker host=ssh://app@1.1.1.5 ; docker buildx create --name kamal-remote-ssh---app-1-1-1-5 kamal-remote-ssh---app-1-1-1-5-context",
    );
    expect(r(builder.inspect()!)).toBe(
      "{ docker buildx inspect kamal-remote-ssh---app-1-1-1-5 | grep -q 'Endpoint:.*kamal-remote-ssh---app-1-1-1-5-context' && docker context inspect kamal-remote-ssh---app-1-1-1-5-context --format '{{.Endpoints.docker.Host}}' | grep -xq ssh://app@1.1.1.5; } || { echo 'no compatible builder' && exit 1; }",
    );
    expect(r(builder.remove()!)).toBe("docker context rm kamal-remote-ssh---app-1-1-1-5-context ; docker buildx rm kamal-remote-ssh---app-1-1-1-5");
    expect(r(builder.info())).toBe("docker context ls ; docker buildx ls");
    expect(builder.pushEnv).toEqual({ BUILDKIT_NO_CLIENT_TOKEN: "1" });
    expect(builder.loginLocally).toBe(false);
    expect(r(builder.push())).toBe(
      `docker buildx build --output=type=registry --platform linux/arm64 --builder kamal-remote-ssh---app-1-1-1-5 -t ${IMG} -t ${LATEST} --label service=app --file Dockerfile . 2>&1`,
    );
  });
  test("remote with a local registry", () => {
    const builder = local({ builder: remote, registry: { server: "localhost:5000" } }, "amd64");
    expect(builder.name).toBe("kamal-remote-ssh---app-1-1-1-5-local-registry");
    expect(r(builder.create()!)).toContain("docker buildx create --name kamal-remote-ssh---app-1-1-1-5-local-registry --driver-opt network=host kamal-remote-ssh---app-1-1-1-5-local-registry-context");
  });
  test("hybrid: local node for the local arch, remote node appended", () => {
    const builder = local({ builder: { arch: ["amd64", "arm64"], remote: "ssh://app@1.1.1.5" } }, "amd64");
    expect(builder.kind).toBe("hybrid");
    expect(builder.name).toBe("kamal-hybrid-docker-container-ssh---app-1-1-1-5");
    expect(r(builder.create()!)).toBe(
      "docker buildx create --platform linux/amd64 --name kamal-hybrid-docker-container-ssh---app-1-1-1-5 --driver=docker-container && docker context create kamal-hybrid-docker-container-ssh---app-1-1-1-5-context --description 'kamal-hybrid-docker-container-ssh---app-1-1-1-5 host' --docker host=ssh://app@1.1.1.5 && docker buildx create --platform linux/arm64 --append --name kamal-hybrid-docker-container-ssh---app-1-1-1-5 kamal-hybrid-docker-container-ssh---app-1-1-1-5-context",
    );
    expect(r(builder.push())).toContain("--platform linux/amd64,linux/arm64 --builder kamal-hybrid-docker-container-ssh---app-1-1-1-5 ");
  });
});

describe("cloud and pack builders", () => {
  test("cloud: name from the driver, create splits driver and endpoint like Kamal's shell line", () => {
    const builder = local({ builder: { arch: "amd64", driver: "cloud docker-org-name/builder-name" } });
    expect(builder.kind).toBe("cloud");
    expect(builder.name).toBe("cloud-docker-org-name-builder-name");
    expect(r(builder.create()!)).toBe("docker buildx create --driver cloud docker-org-name/builder-name");
    expect(r(builder.remove()!)).toBe("docker buildx rm cloud-docker-org-name-builder-name");
    expect(r(builder.push())).toContain("--builder cloud-docker-org-name-builder-name ");
  });
  test("pack: build then push both tags; secrets as bare --env names", () => {
    const builder = local({
      builder: { arch: "amd64", pack: { builder: "heroku/builder:24", buildpacks: ["heroku/ruby", "heroku/procfile"] }, args: { A: "1" }, secrets: ["S"] },
    });
    expect(builder.kind).toBe("pack");
    expect(r(builder.push())).toBe(
      `pack build dhh/app --platform linux/amd64 --creation-time now --builder heroku/builder:24 --buildpack heroku/ruby --buildpack heroku/procfile --buildpack paketo-buildpacks/image-labels -t ${IMG} -t ${LATEST} --env BP_IMAGE_LABELS=service=app --env A=1 --env S --path . && docker push ${IMG} && docker push ${LATEST}`,
    );
    expect(r(builder.push({ output: "docker", noCache: true }))).toContain("--clear-cache --env BP_IMAGE_LABELS=service=app");
    expect(r(builder.push({ output: "docker" }))).not.toContain("docker push");
    expect(r(builder.info())).toBe("pack builder inspect heroku/builder:24");
    expect(builder.remove()).toBeUndefined();
  });
});

describe("classic builder (no buildx)", () => {
  test("DOCKER_BUILDKIT=0 docker build with the same tags, label, args, file and target, then docker push of both tags", () => {
    const config = makeConfig({ builder: { arch: "amd64", args: { A: "1" }, target: "prod" } });
    expect(r(b.classicBuild(config, { noCache: true }))).toBe(
      `env DOCKER_BUILDKIT=0 docker build -t ${IMG} -t ${LATEST} --label service=app --build-arg A=1 --file Dockerfile --target prod --no-cache . 2>&1`,
    );
    expect(b.classicPushes(config).map((c) => r(c))).toEqual([`docker push ${IMG}`, `docker push ${LATEST}`]);
  });
  test("what the classic builder cannot do", () => {
    expect(b.classicBlockers(makeConfig({}), "amd64")).toEqual([]);
    expect(b.classicBlockers(makeConfig({ builder: { driver: "docker" } }), "amd64")).toEqual([]);
    expect(b.classicBlockers(makeConfig({ builder: { arch: ["amd64", "arm64"], secrets: ["S"], ssh: "default" } }), "amd64")).toEqual([
      "arch amd64, arm64 (this machine builds amd64)", "build secrets", "ssh",
    ]);
    expect(b.classicBlockers(makeConfig({ builder: { arch: "amd64", cache: { type: "gha" } } }), "amd64")).toEqual(["cache"]);
  });
});

describe("checks, pull and mirrors", () => {
  const config = makeConfig({});
  test("lines", () => {
    expect(r(b.dockerCheck())).toBe("docker --version && docker buildx version");
    expect(r(b.dockerArchitecture())).toBe("docker info --format '{{.Architecture}}'");
    expect(r(b.cleanImage(config))).toBe(`docker image rm --force ${IMG}`);
    expect(r(b.pullImage(config))).toBe(`docker pull ${IMG}`);
    expect(r(b.validateImage(config))).toBe(
      `docker inspect -f '{{ .Config.Labels.service }}' ${IMG} | grep -x app || { echo 'Image ${IMG} is missing the '\\''service'\\'' label' && exit 1; }`,
    );
    expect(r(b.firstMirror())).toBe("docker info --format '{{index .RegistryConfig.Mirrors 0}}'");
  });
  test("docker arch names", () => {
    expect(b.kamalArch("x86_64\n")).toBe("amd64");
    expect(b.kamalArch("aarch64")).toBe("arm64");
    expect(b.kamalArch("s390x")).toBe("s390x");
  });
});

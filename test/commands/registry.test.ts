import { describe, expect, test } from "bun:test";
import { login, logout, registryName, removeLocalRegistry, setupLocalRegistry } from "../../src/commands/registry.ts";
import { RegistryConfig } from "../../src/config/registry.ts";
import { displayCmd, renderCmd } from "../../src/shell/index.ts";

const hub = new RegistryConfig({ username: "dhh", password: "secret" });
const ghcr = new RegistryConfig({ server: "ghcr.io", username: "dhh", password: ["PW"] });
const local = new RegistryConfig({ server: "localhost:5555" });

describe("registry commands", () => {
  test("login: password on stdin, user redacted in logs", () => {
    expect(renderCmd(login(ghcr, "dhh"))).toBe("docker login ghcr.io -u dhh --password-stdin");
    expect(displayCmd(login(ghcr, "dhh"))).toBe("docker login ghcr.io -u [REDACTED] --password-stdin");
    expect(renderCmd(login(hub, "d h"))).toBe("docker login -u 'd h' --password-stdin");
  });
  test("logout", () => {
    expect(renderCmd(logout(ghcr))).toBe("docker logout ghcr.io");
    expect(renderCmd(logout(hub))).toBe("docker logout");
  });
  test("local registry: Kamal's start-or-run and stop-and-remove lines", () => {
    expect(renderCmd(setupLocalRegistry(local))).toBe(
      "docker start kamal-docker-registry || docker run --detach -p 127.0.0.1:5555:5000 --name kamal-docker-registry registry:3",
    );
    expect(renderCmd(removeLocalRegistry())).toBe("docker stop kamal-docker-registry && docker rm kamal-docker-registry");
  });
  test("names for messages", () => {
    expect(registryName(ghcr)).toBe("ghcr.io");
    expect(registryName(hub)).toBe("Docker Hub");
  });
});

import { afterEach, describe, expect, test } from "bun:test";
import { loginOnHosts, registryLogin, registryLogout, registryRemove, registrySetup } from "../../src/flows/registry.ts";
import { RegistryConfig } from "../../src/config/registry.ts";
import { DEPLOY_YML, fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());
const LOCAL_YML = DEPLOY_YML.replace(/registry:\n(  .*\n)+/, "registry:\n  server: localhost:5555\n");

describe("registry flows", () => {
  test("setup: docker check and login here, then login on every selected host, password only on stdin", async () => {
    f = fixture();
    await registrySetup(f.ctx);
    expect(f.runner.lines()).toEqual([
      "localhost: docker --version",
      "localhost: docker login registry.example.com -u user --password-stdin",
      "1.1.1.1: docker login registry.example.com -u user --password-stdin",
      "1.1.1.2: docker login registry.example.com -u user --password-stdin",
      "1.1.1.3: docker login registry.example.com -u user --password-stdin",
    ]);
    expect(f.runner.commands.filter((c) => c.command.includes("login")).every((c) => c.stdin === "pw")).toBe(true);
    expect(f.out.text).not.toContain("pw");
    expect(f.out.text).toContain("docker login registry.example.com -u [REDACTED] --password-stdin");
  });

  test("--skip-local and --skip-remote", async () => {
    f = fixture();
    await registryLogin(f.ctx, { skipLocal: true });
    expect(f.runner.lines().some((l) => l.startsWith("localhost:"))).toBe(false);
    expect(f.runner.lines()).toHaveLength(3);
    f.cleanup();
    f = fixture();
    await registryLogout(f.ctx, { skipRemote: true });
    expect(f.runner.lines()).toEqual(["localhost: docker logout registry.example.com"]);
  });

  test("a wrong password: one line naming the registry and the host, no password", async () => {
    f = fixture();
    f.runner.respond("docker login", { code: 1, stderr: "Error response from daemon: Get \"https://registry.example.com/v2/\": unauthorized: user is wrong\n" }, "1.1.1.2");
    const error = await registryLogin(f.ctx, { skipLocal: true }).catch((e) => e);
    expect(error.message).toBe("Exception while executing on host 1.1.1.2: Failed to log in to registry.example.com on 1.1.1.2: Error response from daemon: Get \"https://registry.example.com/v2/\": unauthorized: [REDACTED] is wrong");
    expect(error.message).not.toContain("user is");
  });

  test("local registry: setup starts the container here, remove stops it, login and logout are refused", async () => {
    f = fixture({ files: { "config/deploy.yml": LOCAL_YML } });
    await registrySetup(f.ctx);
    await registryRemove(f.ctx);
    expect(f.runner.lines()).toEqual([
      "localhost: docker --version",
      "localhost: docker start kamal-docker-registry || docker run --detach -p 127.0.0.1:5555:5000 --name kamal-docker-registry registry:3",
      "localhost: docker stop kamal-docker-registry && docker rm kamal-docker-registry",
    ]);
    expect(registryLogin(f.ctx)).rejects.toThrow("Cannot use login command with a local registry. Use `kamal registry setup` instead.");
    expect(registryLogout(f.ctx)).rejects.toThrow("Cannot use logout command with a local registry. Use `kamal registry remove` instead.");
  });

  test("loginOnHosts with an accessory's own registry; nothing for a local one", async () => {
    f = fixture();
    await loginOnHosts(f.ctx, ["1.1.1.9"], new RegistryConfig({ server: "other.io", username: "acc", password: "apw" }));
    await loginOnHosts(f.ctx, ["1.1.1.9"], new RegistryConfig({ server: "localhost:5000" }));
    expect(f.runner.commands).toEqual([{ host: "1.1.1.9", command: "docker login other.io -u acc --password-stdin", stdin: "apw" }]);
  });
});

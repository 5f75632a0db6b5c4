import { describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { configToHash, renderConfigYaml } from "../../src/config/to-hash.ts";
import { makeConfig } from "./derived-helpers.ts";

describe("kamal config output", () => {
  const config = makeConfig({
    servers: { web: ["1.1.1.1"], jobs: ["1.1.1.2"] },
    volumes: ["data:/data"],
    ssh: { user: "app", key_data: ["SSH_KEY"] },
    accessories: { db: { image: "mysql:8", host: "1.1.1.3", env: { secret: ["DB_PASSWORD"] } } },
  }, { secrets: { KAMAL_REGISTRY_PASSWORD: "registry-pw", SSH_KEY: "-----BEGIN KEY-----" } });

  test("to_h keys in Kamal's order, nil compacted", () => {
    expect(Object.keys(configToHash(config))).toEqual([
      "roles", "hosts", "primary_host", "version", "repository", "absolute_image", "service_with_version", "volume_args",
      "ssh_options", "sshkit", "builder", "accessories", "logging",
    ]);
    const noAccessories = makeConfig({ servers: ["a"] });
    expect(Object.keys(configToHash(noAccessories))).not.toContain("accessories");
  });

  test("ssh options in Net::SSH order with key data redacted", () => {
    expect(configToHash(config).ssh_options).toEqual({
      user: "app", port: 22, keepalive: true, keepalive_interval: 30, key_data: ["[REDACTED]"], log_level: "fatal",
    });
  });

  test("plain YAML round-trips and never shows secrets", () => {
    const text = renderConfigYaml(config);
    expect(text.startsWith("---\nroles:\n- jobs\n- web\n")).toBe(true);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(configToHash(config))));
    expect(text).not.toContain("BEGIN KEY");
    expect(text).not.toContain("registry-pw");
    expect(text).toContain("volume_args:\n- --volume\n- data:/data\n");
  });

  test("kamal-style keys: symbol keys at the top level and in ssh_options", () => {
    const text = renderConfigYaml(config, { keys: "kamal" });
    expect(text).toContain("\n:roles:\n- jobs\n- web\n");
    expect(text).toContain("\n:ssh_options:\n  :user: app\n");
    expect(text).toContain("  :log_level: :fatal\n");
    expect(text).toContain("\n:accessories:\n  db:\n");
  });
});

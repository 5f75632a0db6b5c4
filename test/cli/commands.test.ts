// The real command tree: every Kamal command is registered, and the wired commands work in a temp app.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REGISTRY } from "../../src/cli/registry.ts";
import { VERSION } from "../../src/version.ts";
import { FIXTURE_APP, run, tempApp } from "./helpers.ts";

const app = tempApp(FIXTURE_APP);
afterAll(() => app.cleanup());

// Reference §1.2-§1.11 (visible and hidden commands).
const KAMAL_COMMANDS: Record<string, string[]> = {
  "": ["setup", "deploy", "redeploy", "rollback", "details", "audit", "config", "docs", "init", "remove", "upgrade", "version"],
  app: ["boot", "start", "stop", "details", "exec", "containers", "stale_containers", "images", "logs", "remove", "live", "maintenance",
    "version", "remove_container", "remove_containers", "remove_images", "remove_app_directories"],
  proxy: ["boot", "boot_config", "reboot", "upgrade", "start", "stop", "restart", "details", "logs", "remove", "remove_container",
    "remove_image", "remove_proxy_directory"],
  accessory: ["boot", "upload", "directories", "reboot", "start", "stop", "restart", "details", "exec", "logs", "remove", "upgrade",
    "pull_image", "remove_container", "remove_image", "remove_service_directory"],
  build: ["deliver", "push", "pull", "create", "remove", "details", "dev"],
  registry: ["setup", "remove", "login", "logout"],
  lock: ["status", "acquire", "release"],
  prune: ["all", "images", "containers"],
  server: ["exec", "bootstrap"],
  secrets: ["fetch", "extract", "print"],
};

describe("command tree", () => {
  test("every Kamal command and subcommand is registered", () => {
    const top = REGISTRY.filter((r) => r.kind === "command").map((r) => r.name).sort();
    expect(top).toEqual([...KAMAL_COMMANDS[""]].sort());
    for (const [group, subs] of Object.entries(KAMAL_COMMANDS)) {
      if (group === "") continue;
      const def = REGISTRY.find((r) => r.name === group);
      expect(def?.kind).toBe("group");
      if (def?.kind === "group") expect(def.commands.map((c) => c.name).sort()).toEqual([...subs].sort());
    }
  });

  test("commands not implemented yet fail with one line and exit 1", async () => {
    const r = await run(["proxy", "upgrade", "-y"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "  ERROR (NotImplementedError): 'kamal proxy upgrade' is not implemented yet in this build\n" });
  });

  test("upgrade (Kamal 1 to 2) says it is not supported and what to do instead", async () => {
    const r = await run(["upgrade", "-y"], { cwd: app.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toStartWith("  ERROR (NotImplementedError): 'kamal upgrade' (the Kamal 1 to 2 migration");
    expect(r.stderr).toEndWith("run it once with Ruby Kamal 2, then use this tool\n");
  });
});

describe("wired commands", () => {
  test("version prints the build version", async () => {
    expect(await run(["version"])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  test("config prints the combined config, with the app version from --version", async () => {
    const r = await run(["config", "--version", "0123"], { cwd: app.dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("---\n:roles:\n- web\n- workers\n:hosts:\n- 10.0.0.1\n- 10.0.0.2\n:primary_host: 10.0.0.1\n:version: '0123'\n");
    expect(r.stdout).toContain(":absolute_image: registry.example.com/acme/demo:0123\n");
  });

  test("config with a destination, through an alias", async () => {
    const r = await run(["cfg", "--version", "v1"], { cwd: app.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(":hosts:\n- 10.0.1.1\n- 10.0.0.2\n");
  });

  test("config errors are one line", async () => {
    const empty = tempApp({});
    try {
      const r = await run(["config"], { cwd: empty.dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("Configuration file not found in");
    } finally {
      empty.cleanup();
    }
  });

  test("docs prints a section or says there is none", async () => {
    const r = await run(["docs", "servers"]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
    expect((await run(["docs", "nonsense"])).stdout).toBe("No documentation found for nonsense\n");
  });

  test("init creates the stubs", async () => {
    const fresh = tempApp({});
    try {
      const r = await run(["init"], { cwd: fresh.dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Created configuration file in config/deploy.yml\n");
      expect(existsSync(join(fresh.dir, "config/deploy.yml"))).toBe(true);
      expect((await run(["init"], { cwd: fresh.dir })).stdout).toContain("Config file already exists in config/deploy.yml");
    } finally {
      fresh.cleanup();
    }
  });

  test("secrets extract and print", async () => {
    const json = JSON.stringify({ "vault/DB_PASSWORD": "pw1", TOKEN: "t" });
    expect(await run(["secrets", "extract", "DB_PASSWORD", json])).toEqual({ code: 0, stdout: "pw1\n", stderr: "" });
    const missing = await run(["secrets", "extract", "NOPE", json]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("  ERROR (RuntimeError): Could not find secret NOPE\n");
    expect(await run(["secrets", "print"], { cwd: app.dir })).toEqual({ code: 0, stdout: "KAMAL_REGISTRY_PASSWORD=s3cret\n", stderr: "" });
    expect((await run(["secrets", "fetch", "X"])).stderr).toBe("No value provided for required options '--adapter'\n");
  });
});

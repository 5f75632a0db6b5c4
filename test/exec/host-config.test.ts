import { afterAll, describe, expect, test } from "bun:test";
import SSHConfig from "ssh-config";
import { resolveHost } from "../../src/exec/index.ts";
import { expandProxyCommand } from "../../src/exec/ssh/host-config.ts";

const cfg = (text: string) => [SSHConfig.parse(text)];

describe("resolveHost (~/.ssh/config)", () => {
  const config = cfg([
    "Host web*", "  HostName %h.internal", "  User deploy", "  Port 2200", "  IdentityFile ~/.ssh/web_key", "  ProxyJump bastion,jump2",
    "Host web9", "  ProxyJump none",
    "Host *", "  User ignored-after-first", "  IdentityFile ~/.ssh/all_key", "  IdentitiesOnly yes",
  ].join("\n"));
  test("first value wins, IdentityFile accumulates, ~ and %h expand", () => {
    expect(resolveHost("web1", {}, config, "/home/me")).toEqual({
      alias: "web1", hostname: "web1.internal", port: 2200, user: "deploy",
      identityFiles: ["/home/me/.ssh/web_key", "/home/me/.ssh/all_key"], identitiesOnly: true, jumps: ["bastion", "jump2"], proxyCommand: undefined,
    });
  });
  test("explicit options beat the file; Kamal's ssh.proxy replaces ProxyJump", () => {
    const h = resolveHost("web1", { user: "root", port: 22, proxy: "root@gw" }, config, "/h");
    expect([h.user, h.port, h.jumps]).toEqual(["root", 22, ["root@gw"]]);
  });
  test("no config: defaults root and 22", () => {
    expect(resolveHost("1.2.3.4", {}, [], "/h")).toMatchObject({ hostname: "1.2.3.4", user: "root", port: 22, jumps: [] });
  });
  test("ProxyCommand tokens", () => {
    const h = resolveHost("db", { proxyCommand: "ssh -W %h:%p %r@gw %%" }, [], "/h");
    expect(expandProxyCommand(h.proxyCommand!, h)).toBe("ssh -W db:22 root@gw %");
  });
});

describe("configFiles (ssh.config)", () => {
  const { configFiles } = require("../../src/exec/ssh/host-config.ts") as typeof import("../../src/exec/ssh/host-config.ts");
  test("true/unset = ~/.ssh/config and the system files, false = none, string/array = those files", () => {
    const defaults = ["/home/me/.ssh/config", "/etc/ssh_config", "/etc/ssh/ssh_config"];
    expect(configFiles(undefined, "/home/me")).toEqual(defaults);
    expect(configFiles(true, "/home/me")).toEqual(defaults);
    expect(configFiles(false, "/home/me")).toEqual([]);
    expect(configFiles("~/custom", "/home/me")).toEqual(["/home/me/custom"]);
    expect(configFiles(["/etc/a", "~/b"], "/home/me")).toEqual(["/etc/a", "/home/me/b"]);
  });
});

describe("Include", () => {
  test("relative to ~/.ssh, globs, nested", () => {
    const { mkdirSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
    const { loadSshConfig } = require("../../src/exec/ssh/host-config.ts") as typeof import("../../src/exec/ssh/host-config.ts");
    const home = require("node:fs").mkdtempSync(require("node:path").join(require("node:os").tmpdir(), "kamal-home-"));
    afterAll(() => require("node:fs").rmSync(home, { recursive: true, force: true }));
    mkdirSync(`${home}/.ssh/conf.d`, { recursive: true });
    writeFileSync(`${home}/.ssh/config`, "Include conf.d/*.conf\nHost *\n  User fallback\n");
    writeFileSync(`${home}/.ssh/conf.d/10-web.conf`, "Host web\n  HostName 10.0.0.5\n  Include ~/.ssh/more\n");
    writeFileSync(`${home}/.ssh/more`, "  Port 2022\n");
    writeFileSync(`${home}/.ssh/conf.d/ignored.txt`, "Host web\n  HostName wrong\n");
    const configs = loadSshConfig([`${home}/.ssh/config`], home);
    expect(resolveHost("web", {}, configs, home)).toMatchObject({ hostname: "10.0.0.5", port: 2022, user: "fallback" });
  });
});

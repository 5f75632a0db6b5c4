import { expect, test } from "bun:test";
import { interactiveSshArgv } from "../../src/exec/index.ts";

test("defaults: root, port 22, user's ssh config", () => {
  expect(interactiveSshArgv("1.1.1.1", {}, "docker logs -f app")).toEqual(["ssh", "-t", "root@1.1.1.1", "-p", "22", "docker logs -f app"]);
});
test("config files, jump host, keys, keys_only", () => {
  expect(interactiveSshArgv("h", { config: ["a", "b"], proxy: "jump.example", keys: ["k1", "k2"], keysOnly: true, user: "app", port: 2222 }, "sh")).toEqual(
    ["ssh", "-F", "a", "-F", "b", "-J", "root@jump.example", "-i", "k1", "-i", "k2", "-o", "IdentitiesOnly=yes", "-t", "app@h", "-p", "2222", "sh"],
  );
  expect(interactiveSshArgv("h", { config: false, proxyCommand: "ssh -W %h:%p bastion" }, "sh")).toEqual(
    ["ssh", "-F", "/dev/null", "-o", "ProxyCommand=ssh -W %h:%p bastion", "-t", "root@h", "-p", "22", "sh"],
  );
});

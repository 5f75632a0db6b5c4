import { expect, test } from "bun:test";
import { envDefault, runFlagsWithEnv } from "../../src/proxy/cli/run-command.ts";
import { commandSpecs } from "../../src/proxy/cli/specs.ts";
import { socketPath, stateFilePath } from "../../src/proxy/paths.ts";

test("KAMAL_PROXY_<KEY> wins over <KEY>; unparsable values keep the default", () => {
  expect(envDefault({ KAMAL_PROXY_HTTP_PORT: "8080", HTTP_PORT: "9090" }, "HTTP_PORT", "int", 80)).toBe(8080);
  expect(envDefault({ HTTP_PORT: "9090" }, "HTTP_PORT", "int", 80)).toBe(9090);
  expect(envDefault({ HTTP_PORT: "abc" }, "HTTP_PORT", "int", 80)).toBe(80);
  expect(envDefault({ DEBUG: "t" }, "DEBUG", "bool", false)).toBe(true);
  expect(envDefault({ KAMAL_PROXY_DEBUG: "nope" }, "DEBUG", "bool", false)).toBe(false);
  const run = commandSpecs("/tmp/certs").find((s) => s.path[0] === "run")!;
  const flags = runFlagsWithEnv(run.flags, { METRICS_PORT: "9100", HTTPS_PORT: "8443" });
  expect(flags.find((f) => f.name === "metrics-port")!.default).toBe(9100);
  expect(flags.find((f) => f.name === "https-port")!.default).toBe(8443);
  expect(flags.find((f) => f.name === "http3")!.default).toBe(false);
});

test("socket and state paths", () => {
  expect(socketPath({ KAMAL_PROXY_SOCKET: "/run/x.sock", XDG_RUNTIME_DIR: "/run/user/1" })).toBe("/run/x.sock");
  expect(socketPath({ XDG_RUNTIME_DIR: "/run/user/1" })).toBe("/run/user/1/kamal-proxy.sock");
  expect(socketPath({ TMPDIR: "/var/tmp" })).toBe("/var/tmp/kamal-proxy.sock");
  expect(socketPath({})).toBe("/tmp/kamal-proxy.sock");
  const home = `/tmp/kp-paths-${process.pid}`;
  expect(stateFilePath({ HOME: home })).toBe(`${home}/.config/kamal-proxy/kamal-proxy.state`);
});

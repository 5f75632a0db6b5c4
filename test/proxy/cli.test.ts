// The kamal-proxy command line (kamal-proxy §1): exit codes and `Error: ...` lines, flag parsing, list output.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatList } from "../../src/proxy/cli/list-format.ts";
import { namedUpstream, ProxyProcess, runCli, type Upstream } from "./support/harness.ts";

const scratch = mkdtempSync(join(tmpdir(), "kp-cli-"));
const noServer = { KAMAL_PROXY_SOCKET: join(scratch, "absent.sock"), HOME: join(scratch, "home") };
const cli = (...args: string[]) => runCli(args, noServer);

describe("client-side errors (no server needed)", () => {
  const cases: Array<[string[], string]> = [
    [["deploy"], "accepts 1 arg(s), received 0"],
    [["deploy", "a", "b", "--target", "x:1"], "accepts 1 arg(s), received 2"],
    [["deploy", "app"], 'required flag(s) "target" not set'],
    [["deploy", "app", "--target", "t:1", "--foo"], "unknown flag: --foo"],
    [["deploy", "app", "--target", "t:1", "--deploy-timeout", "30"], 'invalid argument "30" for "--deploy-timeout" flag: time: missing unit in duration "30"'],
    [["deploy", "app", "--target", "t:1", "--health-check-port", "abc"], 'invalid argument "abc" for "--health-check-port" flag: strconv.ParseInt: parsing "abc": invalid syntax'],
    [["deploy", "app", "--target", "t:1", "--tls-certificate-path", "/c"], "if any flags in the group [tls-certificate-path tls-private-key-path] are set they must all be set; missing [tls-private-key-path]"],
    [["deploy", "app", "--target", "t:1", "--max-request-body", "10"], "max-request-body can only be set when request buffering is enabled"],
    [["deploy", "app", "--target", "t:1", "--max-response-body", "10"], "max-response-body can only be set when response buffering is enabled"],
    [["deploy", "app", "--target", "t:1", "--tls"], "service options invalid: host must be set when using TLS"],
    [["deploy", "app", "--target", "t:1", "--tls", "--host", "a.test,"], "service options invalid: host must be set when using TLS"],
    [["deploy", "app", "--target", "t:1", "--tls", "--host", "a.test", "--path-prefix", "/api"], "service options invalid: TLS settings must be specified on the root path service"],
    [["deploy", "app", "--target", "t:1", "--host", "example.com,www.example.com", "--canonical-host", "api.example.com"], "service options invalid: canonical-host 'api.example.com' must be present in the hosts list: [example.com www.example.com]"],
    [["deploy", "app", "--target", "t:1", "--tls", "--tls-on-demand-url", "/allow", "--host", "a.test"], "service options invalid: cannot set hosts when using a TLS on-demand URL"],
    [["deploy", "app", "--target", "t:1", "--tls", "--tls-on-demand-url", "ftp://x/y"], 'service options invalid: unsupported scheme "ftp" in tls-on-demand-url'],
    [["deploy", "app", "--target", "t:1", "--tls-on-demand-url", "/allow"], "service options invalid: TLS must be enabled to use a TLS on-demand URL"],
    [["list", "x"], 'unknown command "x" for "kamal-proxy list"'],
    [["rollout", "set", "app"], "at least one of the flags in the group [percent list] is required"],
    [["rollout", "deploy", "app"], 'required flag(s) "target" not set'],
    [["stop"], "accepts 1 arg(s), received 0"],
  ];
  for (const [args, message] of cases) {
    test(`${args.join(" ")} -> ${message}`, async () => {
      const result = await cli(...args);
      expect([result.code, result.stderr, result.stdout]).toEqual([1, `Error: ${message}\n`, ""]);
    });
  }

  test("unknown command", async () => {
    const result = await cli("foo");
    expect([result.code, result.stderr]).toEqual([1, `Error: unknown command "foo" for "kamal-proxy"\nRun 'kamal-proxy --help' for usage.\n`]);
  });

  test("server not running: dial error", async () => {
    const result = await cli("list");
    expect([result.code, result.stderr]).toEqual([1, `Error: dial unix ${noServer.KAMAL_PROXY_SOCKET}: connect: no such file or directory\n`]);
  });

  test("--buffer-requests=false still allows --max-request-body (flag was given)", async () => {
    const result = await cli("deploy", "app", "--target", "t:1", "--buffer-requests=false", "--max-request-body", "1");
    expect(result.stderr).toContain("dial unix");
  });

  test("help and no arguments print usage and exit 0", async () => {
    const root = await cli();
    expect([root.code, root.stdout.split("\n")[0]]).toEqual([0, "HTTP proxy for zero downtime deployments"]);
    const deploy = await cli("deploy", "--help");
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain("--deploy-timeout duration");
    expect(deploy.stdout).toContain("(default 30s)");
    expect((await cli("rollout")).stdout).toContain("Control rollout deployments");
  });
});

describe("against a running server", () => {
  let proxy: ProxyProcess;
  let a: Upstream;
  beforeAll(async () => {
    proxy = await ProxyProcess.start();
    a = namedUpstream("a");
  });
  afterAll(async () => {
    a.stop();
    await proxy.cleanup();
  });

  test("success prints nothing; list prints the table sorted by service; aliases rm and ls", async () => {
    const deployed = await proxy.cli("deploy", "zeta", "--target", a.target, "--host", "z.test", "--host", "zz.test");
    expect([deployed.code, deployed.stdout, deployed.stderr]).toEqual([0, "", ""]);
    await proxy.ok("deploy", "alpha", "--target", a.target, "--path-prefix", "/a,/b");
    const list = await proxy.cli("ls");
    const plain = list.stdout.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trimEnd().split(/\s{2,}/));
    expect(plain[0]).toEqual(["Service", "Host", "Path", "Target", "State", "TLS"]);
    expect(plain[1]).toEqual(["alpha", "*", "/a,/b", a.target, "running", "no"]);
    expect(plain[2]).toEqual(["zeta", "z.test,zz.test", "/", a.target, "running", "no"]);
    expect(list.stdout.startsWith("\x1b[3;94mService")).toBe(true);
    expect(list.stdout).toContain("\x1b[1;34malpha");
    await proxy.ok("rm", "alpha");
    expect((await proxy.cli("list")).stdout).not.toContain("alpha");
  });

  test("the argv Kamal 2 emits is accepted and persisted", async () => {
    const pages = join(proxy.dir, "error_pages");
    await Bun.write(join(pages, "503.html"), "Maintenance {{ .Message }}");
    const result = await proxy.cli("deploy", "app-web", `--target=${a.target}`, "--host=kamal.test", "--deploy-timeout=30s", "--drain-timeout=30s",
      "--health-check-interval=3s", "--health-check-timeout=3s", "--health-check-path=/up", "--target-timeout=10s", "--buffer-requests",
      "--buffer-responses", "--buffer-memory=2000000", "--max-request-body=40000000", "--max-response-body=0", "--path-prefix=/",
      "--strip-path-prefix=false", "--forward-headers", "--tls-redirect=false", "--log-request-header=Cache-Control",
      "--log-request-header=Last-Modified", "--log-request-header=User-Agent", `--error-pages=${pages}`);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const saved = JSON.parse(await Bun.file(proxy.statePath).text()).find((s: { name: string }) => s.name === "app-web");
    expect(saved.options).toMatchObject({ hosts: ["kamal.test"], path_prefixes: ["/"], strip_prefix: false, tls_redirect: false, error_page_path: pages });
    expect(saved.target_options).toMatchObject({
      response_timeout: 10e9, buffer_requests: true, buffer_responses: true, max_memory_buffer_size: 2000000, max_request_body_size: 40000000,
      forward_headers: true, log_request_headers: ["Cache-Control", "Last-Modified", "User-Agent"],
      health_check_config: { path: "/up", port: 0, interval: 3e9, timeout: 3e9, host: "" },
    });
    await proxy.ok("stop", "app-web", "--drain-timeout=30s", "--message=Hello");
    const res = await proxy.fetch("/", { host: "kamal.test" });
    expect([res.status, await res.text()]).toEqual([503, "Maintenance Hello"]);
    await proxy.ok("resume", "app-web");
    await proxy.ok("remove", "app-web");
    expect((await proxy.fetch("/", { host: "kamal.test" })).status).toBe(404);
  });

  test("run fails with a bind error when the port is taken", async () => {
    const result = await runCli(["run", "--http-port", String(proxy.httpPort), "--https-port", "0"], { ...proxy.env, KAMAL_PROXY_SOCKET: join(proxy.dir, "second.sock") });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Error: listen tcp :${proxy.httpPort}: bind: address already in use\n`);
  });

  test("KAMAL_PROXY_HTTP_PORT and plain HTTPS_PORT set the port defaults", async () => {
    const other = await ProxyProcess.start({ portsFromEnv: true });
    try {
      const started = JSON.parse(await other.waitForLog('"Server started"'));
      expect([started.http, started.https]).toEqual([other.httpPort, other.httpsPort]);
      expect((await other.fetch("/")).status).toBe(404);
    } finally {
      await other.cleanup();
    }
  });
});

test("formatList pads columns and styles cells", () => {
  const out = formatList([{ service: "s", hosts: [""], paths: ["/"], targets: ["t:1"], state: "running", tls: true }]);
  expect(out).toBe(
    "\x1b[3;94mService\x1b[0m  \x1b[3;94mHost\x1b[0m  \x1b[3;94mPath\x1b[0m  \x1b[3;94mTarget\x1b[0m  \x1b[3;94mState  \x1b[0m  \x1b[3;94mTLS\x1b[0m\n" +
    "\x1b[1;34ms      \x1b[0m  \x1b[m*   \x1b[0m  \x1b[m/   \x1b[0m  \x1b[mt:1   \x1b[0m  \x1b[mrunning\x1b[0m  \x1b[myes\x1b[0m\n",
  );
});

// The proxy image on a testbed host, driven the way Kamal drives it: our image archive is loaded over SSH
// (`docker load` on the host), run as container `kamal-proxy` on network `kamal` with Kamal's own `docker run`
// line, a busybox httpd app is deployed to it with `docker exec kamal-proxy kamal-proxy deploy`, and HTTP through
// the host's port 80 reaches the app. Needs the testbed (`bun integration/testbed/cli.ts up`).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFile, spawn, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, openSync, closeSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { writeProxyImage, PROXY_COMPAT_VERSION } from "../src/build/proxy-image.ts";
import { docker, renderCmd, type Cmd } from "../src/shell/index.ts";
import { sshArgs } from "./testbed/hosts.ts";
import { requireState, type TestbedHost, type TestbedState } from "./testbed/state.ts";

const REPO = resolve(import.meta.dirname, "..");
const PROXY_IMAGE = `basecamp/kamal-proxy:${PROXY_COMPAT_VERSION}`;
const APP = "kamal-proxy-it-app";
const SERVICE = "proxyit-web";
const TLS_APP = "kamal-proxy-it-tls";
const TLS_HOST = "secure.example.test";

let state: TestbedState;
let host: TestbedHost;
let work: string;
let createdNetwork = false;

interface Result { code: number; stdout: string; stderr: string }

/** Runs a command on the host over SSH (rendered by our one shell quoter); stdin from a file descriptor if given. */
function onHost(command: Cmd | string, stdinFd?: number): Promise<Result> {
  const line = typeof command === "string" ? command : renderCmd(command);
  return new Promise((done, fail) => {
    const child = spawn(sshArgs(host, state.sshKey, state.knownHosts)[0], [...sshArgs(host, state.sshKey, state.knownHosts).slice(1), line],
      { stdio: [stdinFd ?? "ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}

async function mustOnHost(command: Cmd | string, stdinFd?: number): Promise<string> {
  const r = await onHost(command, stdinFd);
  if (r.code !== 0) throw new Error(`on ${host.name}: '${typeof command === "string" ? command : renderCmd(command)}' exit ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function loadArchiveOnHost(archive: string): Promise<void> {
  const fd = openSync(archive, "r");
  try {
    await mustOnHost(docker("load"), fd);
  } finally {
    closeSync(fd);
  }
}

async function eventually<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(300);
  }
}

const proxyUrl = (path = "/") => `http://${host.ip}:80${path}`;

describe("kamal-proxy image on a testbed host", () => {
  beforeAll(async () => {
    state = requireState();
    host = state.hosts[state.hosts.length - 1];
    work = mkdtempSync(join(tmpdir(), "proxy-image-it-"));
    // Leftovers of an interrupted earlier run of this test.
    await onHost(`docker rm -f ${APP} ${TLS_APP} kamal-proxy >/dev/null 2>&1; docker volume rm kamal-proxy-config >/dev/null 2>&1; true`);
    const binary = join(work, "kamal");
    const compile = spawnSync(join(REPO, "node_modules/.bin/bun"), ["build", "--compile", join(REPO, "src/main.ts"), "--outfile", binary], { encoding: "utf8" });
    if (compile.status !== 0) throw new Error(`bun build --compile failed: ${compile.stderr}`);
    await writeProxyImage({ binaryPath: binary, outputPath: join(work, "proxy.tar") });
    await loadArchiveOnHost(join(work, "proxy.tar"));
    const busybox = join(work, "busybox.tar");
    const save = spawnSync("docker", ["save", "-o", busybox, state.images.busybox], { encoding: "utf8" });
    if (save.status !== 0) throw new Error(`docker save ${state.images.busybox}: ${save.stderr}`);
    await loadArchiveOnHost(busybox);
    createdNetwork = (await onHost(docker("network", "create", "kamal"))).code === 0;
  }, 240_000);

  afterAll(async () => {
    if (host) {
      await onHost(`docker rm -f ${APP} ${TLS_APP} kamal-proxy >/dev/null 2>&1; docker volume rm kamal-proxy-config >/dev/null 2>&1; rm -rf .kamal/proxy-it; true`);
      if (createdNetwork) await onHost(docker("network", "rm", "kamal"));
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test("boots like Kamal boots it, passes Kamal's version check, and proxies to a deployed app", async () => {
    // Kamal's boot line (no proxy.run configured), with a run directory of this test's own.
    await mustOnHost(docker("run", "--name", "kamal-proxy", "--network", "kamal", "--detach", "--restart", "unless-stopped",
      "--volume", "kamal-proxy-config:/home/kamal-proxy/.config/kamal-proxy",
      "--volume", "/root/.kamal/proxy-it/apps-config:/home/kamal-proxy/.apps-config",
      "--publish", "80:80", "--publish", "443:443", "--log-opt", "max-size=10m", PROXY_IMAGE));
    // Kamal's version check: the tag after the last colon, compared with v0.9.2.
    const tag = (await mustOnHost(`docker inspect kamal-proxy --format '{{.Config.Image}}' | awk -F: '{print $NF}'`)).trim();
    expect(tag).toBe(PROXY_COMPAT_VERSION);
    expect((await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "version"))).trim()).toBe(PROXY_COMPAT_VERSION);
    const label = await mustOnHost(docker("image", "ls", "--filter", "label=org.opencontainers.image.title=kamal-proxy", "--format", "{{.Repository}}:{{.Tag}}"));
    expect(label).toContain(PROXY_IMAGE);

    // Before any deploy the proxy answers 404 (its own page).
    const notFound = await eventually("the proxy to answer on port 80", 30_000, async () => {
      const res = await fetch(proxyUrl("/"), { signal: AbortSignal.timeout(2000) });
      return res.status === 404 ? res : undefined;
    });
    expect(notFound.headers.get("content-type")).toBe("text/html; charset=utf-8");

    await mustOnHost(docker("run", "--detach", "--name", APP, "--network", "kamal", state.images.busybox, "sh", "-c",
      "mkdir -p /www/up && echo ok > /www/up/index.html && echo hello-from-app > /www/index.html && exec httpd -f -p 80 -h /www"));
    const id = (await mustOnHost(docker("container", "ls", "--all", "--filter", `name=^${APP}$`, "--quiet"))).trim();
    expect(id).toMatch(/^[0-9a-f]{12}$/);

    // Kamal's deploy argv (defaults: buffering on, logged request headers).
    await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "deploy", SERVICE, `--target=${id}:80`, "--deploy-timeout=30s",
      "--drain-timeout=30s", "--buffer-requests", "--buffer-responses", "--log-request-header=Cache-Control",
      "--log-request-header=Last-Modified", "--log-request-header=User-Agent"));
    const res = await fetch(proxyUrl("/"), { signal: AbortSignal.timeout(5000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hello-from-app\n");

    // The access log is kamal-proxy's JSON line with the requested header.
    const logs = await mustOnHost(`docker logs kamal-proxy 2>&1 | grep '"msg":"Request"' | tail -1`);
    expect(JSON.parse(logs)).toMatchObject({ service: SERVICE, status: 200, target: `${id}:80` });

    // The state survived in the volume the image's home directory owns.
    await mustOnHost(docker("restart", "kamal-proxy"));
    const afterRestart = await eventually("the proxy to come back with its state", 30_000, async () => {
      const r = await fetch(proxyUrl("/"), { signal: AbortSignal.timeout(2000) });
      return r.status === 200 ? r : undefined;
    });
    expect(await afterRestart.text()).toBe("hello-from-app\n");

    // Maintenance with a custom error page from the apps-config mount (Kamal's integration test): 503 + message.
    const pages = "/root/.kamal/proxy-it/apps-config/proxyit/error_pages/v1";
    await mustOnHost(`mkdir -p ${pages} && printf 'Custom Maintenance Page: {{ .Message }}\\n' > ${pages}/503.html`);
    await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "deploy", SERVICE, `--target=${id}:80`, "--deploy-timeout=30s",
      "--buffer-requests", "--buffer-responses", "--error-pages=/home/kamal-proxy/.apps-config/proxyit/error_pages/v1"));
    await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "stop", SERVICE, "--drain-timeout=1s", "--message=Back soon"));
    const maintenance = await fetch(proxyUrl("/"), { signal: AbortSignal.timeout(5000) });
    expect(maintenance.status).toBe(503);
    expect(await maintenance.text()).toBe("Custom Maintenance Page: Back soon\n");
    await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "resume", SERVICE));
    expect((await fetch(proxyUrl("/"), { signal: AbortSignal.timeout(5000) })).status).toBe(200);

    // App stopped but still routed: 502 with the proxy's own page.
    await mustOnHost(docker("stop", "--time", "1", APP));
    const badGateway = await fetch(proxyUrl("/"), { signal: AbortSignal.timeout(10000) });
    expect(badGateway.status).toBe(502);
    expect(await badGateway.text()).toContain("502");

    await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "remove", SERVICE));
    expect((await fetch(proxyUrl("/"), { signal: AbortSignal.timeout(5000) })).status).toBe(404);
  }, 180_000);

  test("serves a service's custom certificate over HTTPS by SNI, and redirects HTTP to HTTPS", async () => {
    const running = (await onHost(docker("inspect", "kamal-proxy", "--format", "{{.State.Running}}"))).stdout.trim();
    expect(running).toBe("true");
    const cert = join(work, "cert.pem");
    const key = join(work, "key.pem");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
      "-keyout", key, "-out", cert, "-subj", `/CN=${TLS_HOST}`, "-addext", `subjectAltName=DNS:${TLS_HOST}`], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
    // Where Kamal writes `ssl: {certificate_pem, private_key_pem}` (mode 0644), mounted at /home/kamal-proxy/.apps-config.
    const tlsDir = "/root/.kamal/proxy-it/apps-config/proxyit/tls/web";
    await mustOnHost(`mkdir -p ${tlsDir}`);
    for (const [file, name] of [[cert, "cert.pem"], [key, "key.pem"]]) {
      const fd = openSync(file, "r");
      try { await mustOnHost(`cat > ${tlsDir}/${name} && chmod 644 ${tlsDir}/${name}`, fd); } finally { closeSync(fd); }
    }
    await mustOnHost(docker("run", "--detach", "--name", TLS_APP, "--network", "kamal", state.images.busybox, "sh", "-c",
      "mkdir -p /www/up && echo ok > /www/up/index.html && echo secure-app > /www/index.html && exec httpd -f -p 80 -h /www"));
    const id = (await mustOnHost(docker("container", "ls", "--all", "--filter", `name=^${TLS_APP}$`, "--quiet"))).trim();
    await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "deploy", "proxyit-tls", `--target=${id}:80`, `--host=${TLS_HOST}`, "--tls",
      "--tls-certificate-path=/home/kamal-proxy/.apps-config/proxyit/tls/web/cert.pem",
      "--tls-private-key-path=/home/kamal-proxy/.apps-config/proxyit/tls/web/key.pem", "--deploy-timeout=30s"));
    const curl = promisify(execFile);
    // Verified handshake: curl trusts only this certificate and checks the name (SNI = TLS_HOST).
    const secure = await eventually("the HTTPS listener to serve the new certificate", 15_000, async () => {
      const r = await curl("curl", ["-sS", "--max-time", "5", "--cacert", cert, "--resolve", `${TLS_HOST}:443:${host.ip}`, `https://${TLS_HOST}/`], { encoding: "utf8" });
      return r.stdout;
    });
    expect(secure).toBe("secure-app\n");
    const redirect = await curl("curl", ["-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", `Host: ${TLS_HOST}`,
      `http://${host.ip}/some/path?q=1`], { encoding: "utf8" });
    expect(redirect.stdout).toBe(`301 https://${TLS_HOST}/some/path?q=1`);
    await mustOnHost(docker("exec", "kamal-proxy", "kamal-proxy", "remove", "proxyit-tls"));
  }, 120_000);
});

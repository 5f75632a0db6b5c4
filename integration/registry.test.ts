// Registries on the testbed: a local registry (`localhost:5555`, Kamal's `registry:3` container on this machine)
// reached by every host through SSH remote forwards during the pull; and `docker login` with a wrong password.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_FILES, cloneDirectory } from "./build-app.ts";
import { ensureLocalRegistryImage } from "./registry-image.ts";
import { createApp, kamal, onHost, type App } from "./support.ts";
import { run, waitFor } from "./testbed/proc.ts";
import { requireState } from "./testbed/state.ts";

const apps: App[] = [];
afterAll(() => {
  for (const app of apps) { rmSync(cloneDirectory(app), { recursive: true, force: true }); app.cleanup(); }
});

function withRegistry(app: App, registryYml: string): void {
  const yml = join(app.dir, "config/deploy.yml");
  writeFileSync(yml, readFileSync(yml, "utf8").replace(/registry:\n(  .*\n)+/, registryYml));
}

async function commitAll(app: App): Promise<string> {
  await run(["git", "-C", app.dir, "commit", "-q", "-am", "registry"], { env: app.env });
  return (await run(["git", "-C", app.dir, "rev-parse", "HEAD"])).stdout.trim();
}

describe("local registry", () => {
  beforeAll(ensureLocalRegistryImage, 120_000);

  test("every host pulls through the SSH forward; afterwards no forward listens anywhere", async () => {
    const app = await createApp("itlocalreg", { files: APP_FILES });
    apps.push(app);
    withRegistry(app, "registry:\n  server: localhost:5555\n");
    const version = await commitAll(app);
    try {
      const r = await kamal(app, ["build", "deliver"]);
      expect(r.code).toBe(0);
      expect(r.output).toContain("docker start kamal-docker-registry || docker run --detach -p 127.0.0.1:5555:5000 --name kamal-docker-registry registry:3");
      expect(r.output).toContain(`Setting up local registry port forwarding to ${app.state.hosts.map((h) => h.ip).join(", ")}...`);
      expect(r.output).not.toContain("docker login");
      for (const host of app.state.hosts) {
        const label = await onHost(app.state, host, `docker image inspect -f '{{ .Config.Labels.service }}' localhost:5555/itlocalreg:${version}`);
        expect(label.stdout.trim()).toBe("itlocalreg");
        const listening = await onHost(app.state, host, "ss -Hltn");
        expect(listening.code).toBe(0);
        expect(listening.stdout).not.toContain(":5555");
      }
    } finally {
      const removed = await kamal(app, ["registry", "remove"]);
      expect(removed.code).toBe(0);
    }
    expect((await run(["docker", "ps", "-a", "-q", "--filter", "name=^kamal-docker-registry$"])).stdout.trim()).toBe("");
  });

  test("registry login and logout are refused with a local registry", async () => {
    const app = await createApp("itlocalreg2", { files: APP_FILES });
    apps.push(app);
    withRegistry(app, "registry:\n  server: localhost:5555\n");
    await commitAll(app);
    const r = await kamal(app, ["registry", "login"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("  ERROR (RuntimeError): Cannot use login command with a local registry. Use `kamal registry setup` instead.\n");
  });
});

describe("registry with a password", () => {
  const PASSWORD = "right-horse-battery";
  const WRONG = "wrong-staple-9f3k";
  let dir = "";
  let pid = 0;
  let address = "";

  beforeAll(async () => {
    const state = requireState();
    dir = mkdtempSync(join(tmpdir(), "kamal-it-authreg-"));
    address = `${state.network.gateway}:5001`;
    writeFileSync(join(dir, "htpasswd"), `deployer:${Bun.password.hashSync(PASSWORD, { algorithm: "bcrypt", cost: 4 })}\n`);
    writeFileSync(join(dir, "config.yml"), [
      "version: 0.1", "log: { level: warn }", "storage:", `  filesystem: { rootdirectory: ${dir}/data }`,
      `http: { addr: "${address}" }`, "auth:", "  htpasswd:", "    realm: testbed", `    path: ${dir}/htpasswd`, "",
    ].join("\n"));
    const child = spawn("docker-registry", ["serve", join(dir, "config.yml")], { stdio: "ignore" });
    pid = child.pid!;
    await waitFor(`the registry at ${address}`, 20_000, async () => (await fetch(`http://${address}/v2/`).catch(() => null))?.status === 401);
  });
  afterAll(() => {
    if (pid) process.kill(pid);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a wrong password: one line naming the registry, the password in no output; the right one logs in", async () => {
    const app = await createApp("itauthreg", { files: { ...APP_FILES, ".kamal/secrets": `REGISTRY_PASSWORD=${WRONG}\n` } });
    apps.push(app);
    withRegistry(app, `registry:\n  server: ${address}\n  username: deployer\n  password:\n    - REGISTRY_PASSWORD\n`);
    await commitAll(app);

    const local = await kamal(app, ["registry", "login"]);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(new RegExp(`^  ERROR \\(SSHKit::Command::Failed\\): Failed to log in to ${address.replace(/\./g, "\\.")} locally: [^\\n]*\\n$`));
    const remote = await kamal(app, ["registry", "login", "--skip-local", "-v"]);
    expect(remote.code).toBe(1);
    expect(remote.output).toContain(`Failed to log in to ${address} on ${app.state.hosts[0]!.ip}`);
    const push = await kamal(app, ["build", "push"]);
    expect(push.code).toBe(1);
    for (const r of [local, remote, push]) expect(r.output).not.toContain(WRONG);

    writeFileSync(join(app.dir, ".kamal/secrets"), `REGISTRY_PASSWORD=${PASSWORD}\n`);
    const ok = await kamal(app, ["registry", "login"]);
    expect(ok.code).toBe(0);
    expect(ok.output).not.toContain(PASSWORD);
  });
});

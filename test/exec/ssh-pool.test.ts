// Component tests of the SSH pool against real sshd processes on 127.0.0.x.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HostKeyMismatch, SshConnectionError, SshPool, type SshOptions } from "../../src/exec/index.ts";
import { keygen } from "./sshd-fixture.ts";
import { countedChunks, failingStream } from "./stream-stdin-chunks.ts";
import { startSshTestEnv, writeSshConfig, type SshTestEnv } from "./ssh-env.ts";

let env: SshTestEnv;
const pools: SshPool[] = [];
let n = 0;

beforeAll(async () => { env = await startSshTestEnv(); });
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await env?.stop();
});

/** A pool with its own known_hosts file, no ssh config, no agent, unless overridden. */
function pool(o: SshOptions = {}): SshPool {
  const p = new SshPool({ port: env.front.port, keys: [env.key], keysOnly: true, config: false, agent: false, home: env.home,
    knownHostsFile: join(env.dir, `known_hosts_${++n}`), ...o });
  pools.push(p);
  return p;
}
const hostLine = (host: string, port: number, pub: string) => `[${host}]:${port} ${pub.split(" ").slice(0, 2).join(" ")}\n`;

describe("exec", () => {
  test("stdout, stderr, exit codes, stdin", async () => {
    const p = pool();
    expect(await p.exec("127.0.0.2", "echo out; echo err >&2; exit 42", {})).toEqual({ stdout: "out\n", stderr: "err\n", code: 42 });
    expect((await p.exec("127.0.0.2", "cat", { stdin: "päyload\n" })).stdout).toBe("päyload\n");
    // Commands start in the login user's home directory (relative paths like .kamal/ resolve there).
    const home = spawnSync("sh", ["-c", "echo ~root"]).stdout.toString().trim();
    expect((await p.exec("127.0.0.2", "pwd", {})).stdout.trim()).toBe(home);
  });

  test("stdin streamed: 64 MiB arrive whole; a reader that stops early stops the producer (never buffered whole)", async () => {
    const p = pool();
    const big = countedChunks(64, 1024 * 1024);
    expect((await p.exec("127.0.0.2", "wc -c", { stdin: big.stream })).stdout.trim()).toBe(String(64 * 1024 * 1024));
    const early = countedChunks(64, 1024 * 1024);
    const r = await p.exec("127.0.0.2", "head -c 1 >/dev/null; echo read", { stdin: early.stream });
    expect(r.stdout).toBe("read\n");
    expect(early.produced()).toBeLessThan(16);
    early.stream.destroy();
  });

  test("a stdin stream that fails ends the command with its error", async () => {
    const err = await pool().exec("127.0.0.2", "cat >/dev/null", { stdin: failingStream() }).catch((e) => e);
    expect((err as Error).message).toBe("disk gone");
  });

  test("binary stdout through onStdoutBytes", async () => {
    const chunks: Uint8Array[] = [];
    await pool().exec("127.0.0.2", "printf '\\377\\000\\001'", { onStdoutBytes: (b) => chunks.push(b) });
    expect([...Buffer.concat(chunks)]).toEqual([255, 0, 1]);
  });

  test("output streams while the command runs", async () => {
    const p = pool();
    const arrivals: number[] = [];
    const t0 = Date.now();
    const r = await p.exec("127.0.0.2", "for i in 1 2 3; do echo $i; sleep 0.3; done", { onStdout: () => arrivals.push(Date.now() - t0) });
    expect(r.stdout).toBe("1\n2\n3\n");
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    expect(arrivals[0]).toBeLessThan(arrivals[arrivals.length - 1] - 400);
  });

  test("one connection per host, reused by every command (also concurrent ones)", async () => {
    const p = pool();
    const outs = await Promise.all(Array.from({ length: 12 }, () => p.exec("127.0.0.2", "echo $SSH_CLIENT", {})));
    const clientPorts = new Set(outs.map((o) => o.stdout.trim().split(" ")[1]));
    expect(clientPorts.size).toBe(1);
    const other = await p.exec("127.0.0.3", "echo $SSH_CONNECTION", {});
    expect(other.stdout.trim().split(" ")[2]).toBe("127.0.0.3");
  });

  test("a dropped connection is reopened by the next command", async () => {
    const p = pool();
    const before = (await p.exec("127.0.0.2", "echo $SSH_CLIENT", {})).stdout;
    // Kill this connection's sshd session process from the inside (the shell's parent).
    await p.exec("127.0.0.2", "kill -9 $PPID", {}).catch(() => undefined);
    const after = await p.exec("127.0.0.2", "echo $SSH_CLIENT", {});
    expect(after.code).toBe(0);
    expect(after.stdout.split(" ")[1]).not.toBe(before.split(" ")[1]);
  });

  test("timeout closes the channel", async () => {
    const p = pool();
    const t0 = Date.now();
    await expect(p.exec("127.0.0.2", "sleep 5", { timeoutMs: 300 })).rejects.toThrow(/timed out/);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect((await p.exec("127.0.0.2", "echo still-usable", {})).stdout).toBe("still-usable\n");
  });

  test("upload writes 0600 files whatever the umask, relative paths from home", async () => {
    const p = pool();
    const path = join(env.dir, "uploaded.env");
    writeFileSync(path, "old", { mode: 0o644 });
    await p.upload("127.0.0.2", "SECRET=x y\n", path, 0o600);
    expect((await p.exec("127.0.0.2", `stat -c %a ${path}; cat ${path}`, {})).stdout).toBe("600\nSECRET=x y\n");
    const relative = `.kamal-upload-test-${process.pid}-${Date.now()}`; // in the login directory (/root), unique per run
    await p.upload("127.0.0.2", new Uint8Array([104, 105]), relative, 0o640);
    expect((await p.exec("127.0.0.2", `stat -c %a ${relative}; cat ${relative}; rm ${relative}`, {})).stdout).toBe("640\nhi");
  });
});

describe("authentication", () => {
  test("ssh-agent (SSH_AUTH_SOCK) without key files", async () => {
    const p = pool({ keys: [], keysOnly: false, env: { SSH_AUTH_SOCK: env.agentSock }, agent: undefined, home: join(env.dir, "empty-home") });
    expect((await p.exec("127.0.0.2", "echo agent", {})).stdout).toBe("agent\n");
  });
  test("forward_agent makes the agent usable on the host", async () => {
    const p = pool({ forwardAgent: true, agent: env.agentSock });
    const r = await p.exec("127.0.0.2", "ssh-add -l", {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("test (ED25519)");
    expect((await pool({ agent: env.agentSock }).exec("127.0.0.2", "ssh-add -l", {})).code).not.toBe(0);
  });
  test("key_data", async () => {
    const p = pool({ keys: [], keyData: [readFileSync(env.agentKey, "utf8")] });
    expect((await p.exec("127.0.0.2", "echo data", {})).stdout).toBe("data\n");
  });
  test("key paths starting with ~ are in HOME", async () => {
    const p = pool({ keys: ["~/.ssh/id_ed25519"] });
    expect((await p.exec("127.0.0.2", "echo tilde", {})).stdout).toBe("tilde\n");
  });
  test("default identity from HOME when no keys are given", async () => {
    const p = pool({ keys: undefined, keysOnly: false });
    expect((await p.exec("127.0.0.2", "echo default", {})).stdout).toBe("default\n");
  });
  test("keys_only ignores the agent; a wrong key is an authentication failure", async () => {
    const stranger = join(env.dir, "id_stranger");
    keygen(stranger);
    const p = pool({ keys: [stranger], keysOnly: true, agent: env.agentSock });
    const err = await p.exec("127.0.0.2", "true", {}).catch((e) => e);
    expect(err).toBeInstanceOf(SshConnectionError);
    expect(err.message).toBe(
      `Authentication failed for user root@127.0.0.2: offered key ${stranger}. Check ssh/user and ssh/keys in the config, or add the key with ssh-add`,
    );
    expect(err.kind).toBe("Net::SSH::AuthenticationFailed");
  });
  test("a configured key file that does not exist is named in the authentication failure", async () => {
    const p = pool({ keys: [join(env.dir, "no_such_key")], keysOnly: true });
    const err = await p.exec("127.0.0.2", "true", {}).catch((e) => e);
    expect(err).toBeInstanceOf(SshConnectionError);
    expect(err.message).toBe(
      `Authentication failed for user root@127.0.0.2: offered no SSH agent and no readable key file; SSH key ${join(env.dir, "no_such_key")} not found. ` +
        "Check ssh/user and ssh/keys in the config, or add the key with ssh-add",
    );
  });
});

describe("host keys (known_hosts)", () => {
  test("a new host key is accepted and appended (accept-new)", async () => {
    const file = join(env.dir, "kh_new");
    writeFileSync(file, "# comment\nother.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"); // no trailing newline
    const p = pool({ knownHostsFile: file });
    await p.exec("127.0.0.2", "true", {});
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines[2]).toBe(hostLine("127.0.0.2", env.front.port, env.front.hostKeyPub).trim());
    await pool({ knownHostsFile: file, strictHostKeyChecking: "yes" }).exec("127.0.0.2", "true", {});
    expect(readFileSync(file, "utf8").split("\n").length).toBe(4);
  });
  test("a changed host key is refused with OpenSSH-like wording", async () => {
    const file = join(env.dir, "kh_changed");
    writeFileSync(file, hostLine("127.0.0.2", env.front.port, env.back.hostKeyPub)); // back's key: wrong for front
    const before = readFileSync(file, "utf8");
    const err = await pool({ knownHostsFile: file }).exec("127.0.0.2", "true", {}).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyMismatch);
    expect(err.message).toStartWith("Host key verification failed for 127.0.0.2: REMOTE HOST IDENTIFICATION HAS CHANGED!");
    expect(err.message).toContain(`${file}:1`);
    expect(readFileSync(file, "utf8")).toBe(before);
  });
  test("hashed entries are matched (ssh-keygen -H)", async () => {
    const good = join(env.dir, "kh_hashed_good");
    const bad = join(env.dir, "kh_hashed_bad");
    writeFileSync(good, hostLine("127.0.0.2", env.front.port, env.front.hostKeyPub));
    writeFileSync(bad, hostLine("127.0.0.2", env.front.port, env.back.hostKeyPub));
    for (const f of [good, bad]) expect(spawnSync("ssh-keygen", ["-H", "-f", f]).status).toBe(0);
    expect(readFileSync(good, "utf8")).toStartWith("|1|");
    await pool({ knownHostsFile: good, strictHostKeyChecking: "yes" }).exec("127.0.0.2", "true", {});
    await expect(pool({ knownHostsFile: bad }).exec("127.0.0.2", "true", {})).rejects.toThrow(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });
  test("strict 'yes' refuses unknown hosts; 'no' accepts anything without writing", async () => {
    const file = join(env.dir, "kh_strict");
    await expect(pool({ knownHostsFile: file, strictHostKeyChecking: "yes" }).exec("127.0.0.2", "true", {})).rejects.toThrow(
      /^Host key verification failed for 127.0.0.2: no ssh-ed25519 host key is known/,
    );
    writeFileSync(file, hostLine("127.0.0.2", env.front.port, env.back.hostKeyPub));
    await pool({ knownHostsFile: file, strictHostKeyChecking: "no" }).exec("127.0.0.2", "true", {});
    expect(readFileSync(file, "utf8").split("\n").length).toBe(2);
  });
});

describe("routing: ~/.ssh/config, jump hosts, proxy command", () => {
  test("~/.ssh/config HostName, Port, User, IdentityFile and ProxyJump", async () => {
    writeSshConfig(env, [
      "Host web1", "  HostName 127.0.0.2", `  Port ${env.front.port}`, "  User root", `  IdentityFile ${env.agentKey}`, "  IdentitiesOnly yes",
      "Host behind", "  HostName 127.0.0.4", `  Port ${env.back.port}`, `  ProxyJump root@127.0.0.2:${env.front.port}`,
      "Host blocked", "  HostName 127.0.0.4", `  Port ${env.back.port}`, `  ProxyJump 127.0.0.3:${env.front.port}`,
      "",
    ].join("\n"));
    const p = pool({ config: true, port: undefined, keys: undefined, keysOnly: false });
    expect(p.resolve("web1")).toMatchObject({ hostname: "127.0.0.2", port: env.front.port, user: "root", identitiesOnly: true });
    expect((await p.exec("web1", "echo $SSH_CONNECTION", {})).stdout.split(" ")[2]).toBe("127.0.0.2");
    expect((await p.exec("behind", "echo $SSH_CONNECTION", {})).stdout.split(" ")[2]).toBe("127.0.0.4");
    // The same target through a jump host that refuses forwarding fails: the connection really goes through the jump.
    await expect(p.exec("blocked", "true", {})).rejects.toThrow();
  });
  test("ssh.proxy jump host (user@host:port) for every host", async () => {
    const p = pool({ port: env.back.port, proxy: `root@127.0.0.2:${env.front.port}` });
    expect((await p.exec("127.0.0.4", "echo via-jump", {})).stdout).toBe("via-jump\n");
  });
  test("proxy_command (ssh -W %h:%p)", async () => {
    const kh = join(env.dir, "kh_proxycmd");
    const proxyCommand = `ssh -q -i ${env.key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=${kh} -p ${env.front.port} root@127.0.0.2 -W %h:%p`;
    const p = pool({ port: env.back.port, proxyCommand });
    expect((await p.exec("127.0.0.4", "echo $SSH_CONNECTION", {})).stdout.split(" ")[2]).toBe("127.0.0.4");
  });
  test("a proxy_command that fails is named with its exit status, not as a lost connection to host:port", async () => {
    const err = await pool({ port: env.back.port, proxyCommand: "echo no-such-bastion >&2; exit 7 # %h" }).exec("127.0.0.4", "true", {}).catch((e) => e);
    expect(err).toBeInstanceOf(SshConnectionError);
    expect(err.message).toStartWith('ProxyCommand "echo no-such-bastion >&2; exit 7 # 127.0.0.4" exited with status 7 before the SSH handshake (');
    expect(err.message).toEndWith("); check ssh/proxy_command or ProxyCommand in ~/.ssh/config");
    expect(err.message).not.toContain("\n");
    expect(err.message).not.toContain(`:${env.back.port})`);
  });
  test("nothing listening is a one-line connection refused error", async () => {
    const err = await pool({ port: 1 }).exec("127.0.0.5", "true", {}).catch((e) => e);
    expect(err.message).toBe("Connection refused - connect(2) for 127.0.0.5:1");
    expect(err.kind).toBe("Errno::ECONNREFUSED");
  });
});

describe("DNS retry", () => {
  const failingLookup = (failures: number) => {
    let calls = 0;
    const lookup = ((hostname: string, options: unknown, callback: (...a: unknown[]) => void) => {
      calls++;
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
      if (calls <= failures) callback(err);
      else if (all) callback(null, [{ address: "127.0.0.2", family: 4 }]);
      else callback(null, "127.0.0.2", 4);
    }) as unknown as SshOptions["lookup"];
    return { lookup, calls: () => calls };
  };
  test("resolver errors are retried with Kamal's warning, then connect", async () => {
    const warnings: string[] = [];
    const { lookup } = failingLookup(2);
    const p = pool({ lookup, dnsRetries: 3, onWarning: (m) => warnings.push(m), strictHostKeyChecking: "no" });
    expect((await p.exec("app.internal", "echo resolved", {})).stdout).toBe("resolved\n");
    expect(warnings.length).toBe(2);
    expect(warnings[0]).toMatch(/^Retrying DNS for app\.internal \(attempt 1\/3\) in 0\.(1\d|20)s: getaddrinfo: Name or service not known \(app\.internal\)$/);
    expect(warnings[1]).toMatch(/^Retrying DNS for app\.internal \(attempt 2\/3\) in 0\.(2\d|30)s: /);
  });
  test("after dns_retries the resolver error is reported", async () => {
    const { lookup, calls } = failingLookup(99);
    const err = await pool({ lookup, dnsRetries: 1 }).exec("app.internal", "true", {}).catch((e) => e);
    expect(err.message).toBe("getaddrinfo: Name or service not known (app.internal)");
    expect(err.kind).toBe("SocketError");
    expect(calls()).toBe(2);
  });
});

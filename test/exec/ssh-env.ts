// Shared setup for the SSH component tests: two real sshd processes, user keys, an ssh-agent, a temp HOME.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canConnect, keygen, makeTempDir, startSshd, type SshdFixture } from "./sshd-fixture.ts";

export interface SshTestEnv {
  dir: string;
  home: string;
  /** Key in the user's authorized_keys, also at <home>/.ssh/id_ed25519. */
  key: string;
  /** Second authorized key, loaded only into the agent. */
  agentKey: string;
  agentSock: string;
  /** sshd on 127.0.0.2 and 127.0.0.3 (forwarding refused on .3). */
  front: SshdFixture;
  /** sshd on 127.0.0.4 (reached through the front one in jump tests). */
  back: SshdFixture;
  stop(): Promise<void>;
}

export async function startSshTestEnv(): Promise<SshTestEnv> {
  const dir = makeTempDir("kamal-sshenv-");
  const key = join(dir, "id_user");
  const agentKey = join(dir, "id_agent");
  const pubs = [keygen(key), keygen(agentKey)];
  const home = join(dir, "home");
  mkdirSync(join(home, ".ssh"), { recursive: true, mode: 0o700 });
  copyFileSync(key, join(home, ".ssh", "id_ed25519"));
  const front = await startSshd({ addresses: ["127.0.0.2", "127.0.0.3"], authorizedKeys: pubs, sessionHome: dir, extraConfig: ["Match LocalAddress 127.0.0.3", "AllowTcpForwarding no"] });
  const back = await startSshd({ addresses: ["127.0.0.4"], authorizedKeys: pubs, sessionHome: dir });
  const agentSock = join(dir, "agent.sock");
  const agent: ChildProcess = spawn("ssh-agent", ["-D", "-a", agentSock], { stdio: "ignore" });
  for (let i = 0; i < 100 && !(await canConnectUnix(agentSock)); i++) await new Promise((r) => setTimeout(r, 20));
  const add = spawnSync("ssh-add", [agentKey], { env: { ...process.env, SSH_AUTH_SOCK: agentSock } });
  if (add.status !== 0) throw new Error(`ssh-add failed: ${add.stderr}`);
  return {
    dir, home, key, agentKey, agentSock, front, back,
    async stop() {
      if (agent.pid !== undefined && agent.exitCode === null) agent.kill("SIGTERM");
      await Promise.all([front.stop(), back.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const canConnectUnix = (path: string): Promise<boolean> => canConnect(path, 0);

export function writeSshConfig(env: SshTestEnv, text: string): void {
  writeFileSync(join(env.home, ".ssh", "config"), text);
}

// Fan-out benchmark: `true` on 1, 10 and 50 SSH endpoints (one sshd listening on 127.0.0.2..51),
// through our pool + runner vs OpenSSH (`ssh host true &` per host, then `wait`). Medians of 5.
//   bun scripts/bench/fanout.ts            -> markdown table
//   bun scripts/bench/fanout.ts --once N PORT KEY KNOWN_HOSTS   (internal: one cold-process fan-out)
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { CommandRunner, SshPool, onHosts } from "../../src/exec/index.ts";
import { Logger } from "../../src/output/index.ts";
import { cmd } from "../../src/shell/index.ts";
import { keygen, makeTempDir, startSshd } from "../../test/exec/sshd-fixture.ts";

const SIZES = [1, 10, 50];
const REPS = 5;
const hostsFor = (n: number): string[] => Array.from({ length: n }, (_, i) => `127.0.0.${i + 2}`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function fanOut(n: number, port: number, key: string, knownHosts: string): Promise<void> {
  const pool = new SshPool({ port, keys: [key], keysOnly: true, config: false, agent: false, knownHostsFile: knownHosts, strictHostKeyChecking: "yes" });
  const runner = new CommandRunner(pool, new Logger({ out: { write() {} }, verbosity: "error" }));
  try {
    await onHosts(hostsFor(n), (h) => runner.run(h, cmd("true")));
  } finally {
    await runner.close();
  }
}

if (process.argv[2] === "--once") {
  const [n, port, key, kh] = process.argv.slice(3);
  await fanOut(Number(n), Number(port), key, kh);
  process.exit(0);
}

const dir = makeTempDir("kamal-fanout-");
const key = join(dir, "id");
const pub = keygen(key);
const knownHosts = join(dir, "known_hosts");
// OpenSSH's sshd listens on at most 16 sockets: 4 daemons sharing one host key and one port.
const first = await startSshd({ addresses: hostsFor(50).slice(0, 16), authorizedKeys: [pub], sessionHome: dir });
const daemons = [first];
const sshd = first;
try {
  for (let i = 16; i < 50; i += 16) {
    const hostKeyFile = join(dir, "host_key");
    if (i === 16) spawnSync("cp", [join(first.dir, "host_key"), join(first.dir, "host_key.pub"), dir]);
    daemons.push(await startSshd({ addresses: hostsFor(50).slice(i, i + 16), authorizedKeys: [pub], sessionHome: dir, port: first.port, hostKeyFile }));
  }
  // Learn the host keys once (accept-new), so both clients then check them strictly.
  const learn = new SshPool({ port: sshd.port, keys: [key], keysOnly: true, config: false, agent: false, knownHostsFile: knownHosts });
  await onHosts(hostsFor(50), (h) => learn.exec(h, "true", {}));
  await learn.close();

  const openssh = (n: number): { ms: number; cpuMs: number } => {
    const hosts = hostsFor(n).join(" ");
    const script = `for h in ${hosts}; do ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${knownHosts} ` +
      `-o IdentitiesOnly=yes -i ${key} -p ${sshd.port} root@$h true & done; wait; times`;
    const t0 = performance.now();
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`openssh run failed: ${r.stderr}`);
    const child = r.stdout.trim().split("\n")[1] ?? "";
    const secs = [...child.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    return { ms, cpuMs: (secs[0] + secs[1]) * 1000 };
  };
  const oursWarm = async (n: number): Promise<{ ms: number; cpuMs: number }> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fanOut(n, sshd.port, key, knownHosts);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  const oursCold = (n: number): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [import.meta.path ?? process.argv[1], "--once", String(n), String(sshd.port), key, knownHosts]);
    if (r.status !== 0) throw new Error(`cold run failed: ${r.stderr}`);
    return performance.now() - t0;
  };

  await oursWarm(1); // load modules once
  const rows: string[] = [];
  for (const n of SIZES) {
    const o: number[] = [], oc: number[] = [], c: number[] = [], s: number[] = [], sc: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const a = await oursWarm(n); o.push(a.ms); oc.push(a.cpuMs);
      c.push(oursCold(n));
      const b = openssh(n); s.push(b.ms); sc.push(b.cpuMs);
    }
    const ratio = median(o) / median(s);
    rows.push(`| ${n} | ${median(o).toFixed(0)} | ${median(c).toFixed(0)} | ${median(s).toFixed(0)} | ${ratio.toFixed(2)}x | ${median(oc).toFixed(0)} | ${median(sc).toFixed(0)} |`);
  }
  console.log(`Fan-out of \`true\` over SSH, medians of ${REPS} (ms); ${process.platform}, ${navigator.hardwareConcurrency ?? "?"} cores`);
  console.log("| hosts | ours (in process) | ours (new process) | OpenSSH (ssh & ... wait) | ours/OpenSSH | our CPU | OpenSSH CPU (all ssh) |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) console.log(r);
} finally {
  await Promise.all(daemons.map((d) => d.stop()));
  spawnSync("rm", ["-rf", dir]);
}

import { expect, test } from "bun:test";
import { sshOptionsFromKamal } from "../../src/exec/index.ts";

test("Kamal defaults: root on 22", () => {
  expect(sshOptionsFromKamal()).toEqual({ user: "root", port: 22 });
});
test("every ssh/sshkit key maps; a proxy without user is root@", () => {
  expect(sshOptionsFromKamal(
    { user: "app", port: "2222", proxy: "bastion", proxy_command: "ssh -W %h:%p x", keys_only: true, keys: ["~/.ssh/k"], key_data: ["PEM"], config: false, forward_agent: true },
    { max_concurrent_starts: 10, dns_retries: 5, pool_idle_timeout: 900 },
    { strictHostKeyChecking: "yes" },
  )).toEqual({
    user: "app", port: 2222, proxy: "root@bastion", proxyCommand: "ssh -W %h:%p x", keysOnly: true, keys: ["~/.ssh/k"], keyData: ["PEM"],
    config: false, forwardAgent: true, maxConcurrentStarts: 10, dnsRetries: 5, strictHostKeyChecking: "yes",
  });
  expect(sshOptionsFromKamal({ proxy: "me@gw" }).proxy).toBe("me@gw");
});

test("ssh/port that is not a port number is a configuration error naming the key", () => {
  expect(sshOptionsFromKamal({ port: " 2222 " }).port).toBe(2222);
  for (const port of ["abc", "22x", 0, 70000, "1.5"]) {
    expect(() => sshOptionsFromKamal({ port })).toThrow(`ssh/port: ${JSON.stringify(port)} is not a port number; use a whole number from 1 to 65535`);
  }
});

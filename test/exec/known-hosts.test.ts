import { afterAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KnownHosts, keyInfo, knownHostsName } from "../../src/exec/index.ts";
import { makeTempDir as makeDir } from "./sshd-fixture.ts";

const dirs: string[] = [];
const makeTempDir = (prefix: string): string => { const d = makeDir(prefix); dirs.push(d); return d; };
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** An SSH wire-format public key blob: string type + some key bytes. */
function blob(type: string, fill: number): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.alloc(32, fill)]);
}
const A = blob("ssh-ed25519", 1);
const B = blob("ssh-ed25519", 2);
const R = blob("ssh-rsa", 3);
const line = (hosts: string, b: Buffer) => `${hosts} ${keyInfo(b).type} ${b.toString("base64")}`;

function file(lines: string[]): string {
  const path = join(makeTempDir("kamal-kh-"), "known_hosts");
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

describe("KnownHosts", () => {
  test("names: [host]:port unless 22; key type and SHA256 fingerprint", () => {
    expect(knownHostsName("h", 22)).toBe("h");
    expect(knownHostsName("h", 2222)).toBe("[h]:2222");
    expect(keyInfo(A).type).toBe("ssh-ed25519");
    expect(keyInfo(A).fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
  test("comma lists, wildcards, negation, case-insensitive names", () => {
    const kh = new KnownHosts(file(["# comment", "", line("web1,*.example.com,!bad.example.com", A)]), "yes");
    expect(kh.verify("web1", "web1", 22, A)).toEqual({ ok: true, added: false });
    expect(kh.verify("x", "App.Example.com", 22, A)).toEqual({ ok: true, added: false });
    expect(kh.verify("x", "bad.example.com", 22, A).ok).toBe(false);
    expect(kh.verify("x", "web1", 2222, A).ok).toBe(false); // other port, other name
  });
  test("hashed names", () => {
    const salt = Buffer.alloc(20, 7);
    const hashed = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update("[10.0.0.1]:2222").digest("base64")}`;
    const kh = new KnownHosts(file([line(hashed, A)]), "accept-new");
    expect(kh.verify("10.0.0.1", "10.0.0.1", 2222, A)).toEqual({ ok: true, added: false });
    const changed = kh.verify("10.0.0.1", "10.0.0.1", 2222, B);
    expect(changed.ok).toBe(false);
    if (!changed.ok) expect(changed.reason).toContain("REMOTE HOST IDENTIFICATION HAS CHANGED!");
  });
  test("a key of another type is new, not changed (accept-new adds it); knownTypes lists them", () => {
    const path = file([line("h", A)]);
    const kh = new KnownHosts(path, "accept-new");
    expect(kh.verify("h", "h", 22, R)).toEqual({ ok: true, added: true });
    expect(readFileSync(path, "utf8").trim().split("\n")).toEqual([line("h", A), line("h", R)]);
    expect(kh.knownTypes("h", 22)).toEqual(["ssh-ed25519", "ssh-rsa"]);
  });
  test("@revoked keys are refused, @cert-authority lines are not host keys", () => {
    const kh = new KnownHosts(file([`@revoked * ${keyInfo(B).type} ${B.toString("base64")}`, `@cert-authority h ${keyInfo(A).type} ${A.toString("base64")}`]), "accept-new");
    const r = kh.verify("h", "h", 22, B);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain("revoked");
    expect(kh.knownTypes("h", 22)).toEqual([]);
  });
  test("the fix-it commands in refusals are quoted for a shell (paths with spaces, [host]:port names)", () => {
    const dir = join(makeTempDir("kamal-kh-"), "my keys");
    mkdirSync(dir);
    const path = join(dir, "known_hosts");
    writeFileSync(path, line("[10.0.0.1]:2222", A) + "\n");
    const changed = new KnownHosts(path, "accept-new").verify("10.0.0.1", "10.0.0.1", 2222, B);
    expect(changed.ok).toBe(false);
    if (!changed.ok) expect(changed.reason).toEndWith(`remove the old key with: ssh-keygen -f '${path}' -R '[10.0.0.1]:2222'`);
    const unknown = new KnownHosts(path, "yes").verify("h", "h", 22, A);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.reason).toEndWith(`(add it with: ssh-keyscan -p 22 h >> '${path}')`);
  });
  test("new entries can be written hashed; a missing file and directory are created", () => {
    const path = join(makeTempDir("kamal-kh-"), "sub", "known_hosts");
    const kh = new KnownHosts(path, "accept-new", true);
    expect(kh.verify("h", "h", 2222, A)).toEqual({ ok: true, added: true });
    const written = readFileSync(path, "utf8");
    expect(written).toStartWith("|1|");
    expect(new KnownHosts(path, "yes").verify("h", "h", 2222, A)).toEqual({ ok: true, added: false });
  });
});

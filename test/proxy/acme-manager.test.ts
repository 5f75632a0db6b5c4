import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acmeCacheDir } from "../../src/proxy/acme.ts";
import { AcmeManager, usesAcme } from "../../src/proxy/acme-manager.ts";
import { defaultServiceOptions } from "../../src/proxy/options.ts";
import { memoryLogger } from "./support/quiet-logger.ts";

const options = (o: Partial<ReturnType<typeof defaultServiceOptions>>) => ({ ...defaultServiceOptions(), ...o });

test("only TLS services without a static certificate or on-demand URL use ACME", () => {
  expect(usesAcme(options({ tls_enabled: true, hosts: ["a.test"] }))).toBe(true);
  expect(usesAcme(options({ tls_enabled: true, tls_certificate_path: "/c" }))).toBe(false);
  expect(usesAcme(options({ tls_enabled: false }))).toBe(false);
  expect(usesAcme(options({ tls_enabled: true, hosts: ["a.test"], path_prefixes: ["/api"] }))).toBe(false);
});

test("cached certificates are served; ones close to expiry are renewed; challenges only for the service's hosts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "acme-manager-"));
  const key = join(dir, "k.pem");
  const cert = join(dir, "c.pem");
  spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "90",
    "-keyout", key, "-out", cert, "-subj", "/CN=site.test", "-addext", "subjectAltName=DNS:site.test"]);
  const cacheRoot = join(dir, "certs");
  const directory = "http://127.0.0.1:9/directory";
  mkdirSync(acmeCacheDir(cacheRoot, directory), { recursive: true });
  writeFileSync(join(acmeCacheDir(cacheRoot, directory), "site.test"), readFileSync(key, "utf8") + readFileSync(cert, "utf8"));
  const { logger } = memoryLogger();
  const manager = new AcmeManager(logger);
  let reloads = 0;
  manager.onCertificate = () => reloads++;
  const opts = options({ tls_enabled: true, hosts: ["site.test"], acme_cache_path: cacheRoot, acme_directory: directory });
  await manager.ensure(opts);
  expect(manager.certificateFor("site.test")?.names).toEqual(["site.test"]);
  expect(reloads).toBe(1);
  expect(manager.renewDue()).toEqual([]);
  expect(manager.renewDue(Date.now() + 80 * 24 * 3600 * 1000)).toEqual(["site.test"]);
  expect(manager.challengeResponse("/.well-known/acme-challenge/x", "other.test", opts)?.status).toBe(403);
  expect(manager.challengeResponse("/.well-known/acme-challenge/x", "site.test", opts)?.status).toBe(404);
  expect(manager.challengeResponse("/other", "site.test", opts)).toBeUndefined();
});

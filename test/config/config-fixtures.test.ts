// Fixture apps (test/fixtures/apps/<name>): config/deploy*.yml and .kamal/secrets*, with expected.yml holding, per run,
// the `kamal config` hash (exact) and selected derived values (subset), or the expected error.
import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { configToHash, loadConfig, type Config } from "../../src/config/index.ts";
import { KamalError } from "../../src/errors.ts";

const APPS_DIR = join(import.meta.dir, "..", "fixtures", "apps");

interface FixtureRun {
  destination?: string;
  env?: Record<string, string>;
  config?: Record<string, unknown>;
  details?: Record<string, unknown>;
  error?: string;
  errorContains?: string;
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));
const amd64 = () => "amd64";

/** Derived values worth pinning per fixture (compared as a subset of what expected.yml lists). */
function details(config: Config): Record<string, unknown> {
  const hooks = ["pre-deploy", "post-deploy", "pre-build"];
  return plain({
    retainContainers: config.retainContainers,
    readinessDelay: config.readinessDelay,
    latestImage: config.latestImage,
    appDirectory: config.appDirectory,
    errorPagesPath: config.errorPagesPath,
    hooksPath: config.hooksPath,
    hooksOutput: Object.fromEntries(hooks.map((h) => [h, config.hooksOutputFor(h) ?? null])),
    proxyHosts: config.proxyHosts,
    aliases: config.aliases,
    boot: { limit: config.boot.limit, wait: config.boot.wait, parallelRoles: config.boot.parallelRoles },
    registry: {
      username: config.registry.username(config.secrets), password: config.registry.password(config.secrets),
      local: config.registry.local, localPort: config.registry.localPort,
    },
    ssh: { user: config.ssh.user, portNumber: config.ssh.portNumber, proxy: config.ssh.proxy, keysOnly: config.ssh.keysOnly, keyDataCount: config.ssh.keyData(config.secrets)?.length },
    sshkit: { maxConcurrentStarts: config.sshkit.maxConcurrentStarts, poolIdleTimeout: config.sshkit.poolIdleTimeout, dnsRetries: config.sshkit.dnsRetries },
    builder: {
      kind: config.builder.kind(amd64), kindOnAmd64: config.builder.kind(amd64), remote: config.builder.remote, arches: config.builder.arches,
      localArchesOnAmd64: config.builder.localArches(amd64), remoteArchesOnAmd64: config.builder.remoteArches(amd64),
      cacheFrom: config.builder.cacheFrom, cacheTo: config.builder.cacheTo, dockerfile: config.builder.dockerfile,
      context: config.builder.context, target: config.builder.target, secretKeys: config.builder.secretKeys, gitClone: config.builder.gitClone,
    },
    roles: Object.fromEntries(config.roles.map((role) => [role.name, {
      hosts: role.hosts,
      container: role.containerName(config.version),
      cmd: role.cmd,
      proxy: role.runningProxy,
      ssl: role.ssl,
      customSsl: role.proxy?.customSslCertificate,
      appPort: role.proxy?.appPort,
      proxyHosts: role.proxy?.hosts,
      tlsHostPaths: role.proxy?.tlsPaths(config.proxyAppDirectory),
      restart: role.restartPolicy,
      options: role.optionFlags,
      labels: role.labels,
      logging: role.logging.kamalArgs,
      logOpts: role.logging.dockerArgs.logOpts,
      stopWait: role.stopWaitSeconds,
      assets: role.assets,
      assetPath: role.assetPath,
      secretsPath: role.secretsPath,
      env: Object.fromEntries(role.hosts.map((h) => [h, role.envFor(h)])),
      secretValues: Object.fromEntries(role.hosts.map((h) => [h, safely(() => role.envObjectFor(h).secretValues(config.secrets))])),
      proxyFlags: role.proxy?.deployFlags({
        deployTimeout: config.deployTimeout, drainTimeout: config.drainTimeout, serviceAndDestination: config.serviceAndDestination,
        errorPagesVersion: config.errorPagesPath ? config.version : undefined,
      }),
    }])),
    accessories: Object.fromEntries(config.accessories.map((a) => [a.name, {
      serviceName: a.serviceName, hosts: a.hosts, image: a.image, port: a.port, network: a.network, cmd: a.cmd,
      restart: a.restartPolicy, options: a.optionFlags, labels: a.labels, env: a.env.toContainerEnv(), secretsPath: a.secretsPath,
      files: a.files, directories: a.directories, volumes: a.volumes, proxy: a.runningProxy,
    }])),
  }) as Record<string, unknown>;
}

function safely<T>(fn: () => T): T | string {
  try { return fn(); } catch (e) { return `error: ${(e as Error).message}`; }
}

const apps = readdirSync(APPS_DIR).sort();

describe("fixture apps", () => {
  test("there are at least 20 fixture apps", () => expect(apps.length).toBeGreaterThanOrEqual(20));

  for (const app of apps) {
    const runs = parse(readFileSync(join(APPS_DIR, app, "expected.yml"), "utf8")) as Record<string, FixtureRun>;
    for (const [runName, run] of Object.entries(runs)) {
      test(`${app} (${runName})`, () => {
        const dir = mkdtempSync(join(tmpdir(), `kamal-fixture-${app}-`));
        try {
          cpSync(join(APPS_DIR, app), dir, { recursive: true });
          execFileSync("git", ["init", "-q"], { cwd: dir });
          const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...(run.env ?? {}) };
          const load = () => loadConfig({ cwd: dir, destination: run.destination, version: "fixture", env });
          if (run.error !== undefined || run.errorContains !== undefined) {
            let error: unknown;
            try { load(); } catch (e) { error = e; }
            expect(error).toBeInstanceOf(KamalError);
            const k = error as KamalError;
            if (run.error !== undefined) expect(`${k.name}: ${k.message}`).toBe(run.error);
            else expect(k.message).toContain(run.errorContains!);
            return;
          }
          const config = load();
          expect(plain(configToHash(config))).toEqual(run.config!);
          if (run.details) expect(details(config)).toMatchObject(run.details);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }
});

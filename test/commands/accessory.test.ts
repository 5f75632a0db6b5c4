import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Accessory } from "../../src/config/index.ts";
import * as acc from "../../src/commands/accessory.ts";
import { renderCmd } from "../../src/shell/index.ts";

const dir = mkdtempSync(join(tmpdir(), "kamal-acc-cmd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "config"));
writeFileSync(join(dir, "config/deploy.yml"), `service: app
image: dhh/app
servers:
  web: [1.1.1.1]
  workers: [1.1.1.2]
registry:
  server: private.registry
  username: dhh
  password: [KAMAL_REGISTRY_PASSWORD]
builder:
  arch: amd64
accessories:
  mysql:
    image: mysql:5.7
    host: 1.1.1.3
    port: 3306
    env:
      clear:
        MYSQL_ROOT_HOST: '%'
      secret:
        - MYSQL_ROOT_PASSWORD
    files:
      - config/mysql/my.cnf:/etc/mysql/my.cnf
    directories:
      - data:/var/lib/mysql
      - /abs/logs:/logs:ro
    volumes:
      - extra:/extra
    labels:
      team: db
    options:
      restart: always
      memory: 2g
      read-only: true
    cmd: --character-set-server=utf8mb4 --max-connections=$MAX
  redis:
    image: redis:7
    roles: [web]
    registry:
      server: other.registry
      username: bob
      password: [REDIS_REGISTRY_PASSWORD]
  web:
    image: nginx
    service: front
    host: 1.1.1.4
    proxy:
      host: front.example.com
      app_port: 8080
`);
mkdirSync(join(dir, ".kamal"), { recursive: true });
writeFileSync(join(dir, ".kamal/secrets"), "KAMAL_REGISTRY_PASSWORD=pw\nREDIS_REGISTRY_PASSWORD=rpw\nMYSQL_ROOT_PASSWORD=root\n");
const config = loadConfig({ cwd: dir, version: "999", env: {} });
const get = (name: string): Accessory => config.accessories.find((a) => a.name === name)!;
const mysql = get("mysql");
const redis = get("redis");
const front = get("web");

describe("accessory docker run", () => {
  test("every part in Kamal's order, $PWD kept for the remote shell, cmd appended as written", () => {
    expect(renderCmd(acc.run(mysql, config.logging, "1.1.1.3"))).toBe(
      "docker run --name app-mysql --detach --restart always --network kamal --log-opt max-size=10m --publish 3306:3306" +
      " --env KAMAL_HOST=1.1.1.3 --env MYSQL_ROOT_HOST=% --env-file .kamal/apps/app/env/accessories/mysql.env" +
      " --volume extra:/extra --volume $PWD/app-mysql/etc/mysql/my.cnf:/etc/mysql/my.cnf --volume $PWD/app-mysql/data:/var/lib/mysql" +
      " --volume /abs/logs:/logs:ro --label service=app-mysql --label team=db --memory 2g --read-only" +
      " mysql:5.7 --character-set-server=utf8mb4 --max-connections=$MAX",
    );
  });

  test("a minimal accessory: default restart policy, no publish, image from its own registry", () => {
    expect(renderCmd(acc.run(redis, config.logging, "1.1.1.1"))).toBe(
      "docker run --name app-redis --detach --restart unless-stopped --network kamal --log-opt max-size=10m --env KAMAL_HOST=1.1.1.1" +
      " --env-file .kamal/apps/app/env/accessories/redis.env --label service=app-redis other.registry/redis:7",
    );
  });
});

describe("accessory commands", () => {
  test("start, stop, info, pull, removals", () => {
    expect(renderCmd(acc.start(mysql))).toBe("docker container start app-mysql");
    expect(renderCmd(acc.stop(mysql))).toBe("docker container stop app-mysql");
    expect(renderCmd(acc.info(mysql))).toBe("docker ps --filter label=service=app-mysql");
    expect(renderCmd(acc.info(mysql, { all: true, quiet: true }))).toBe("docker ps -a -q --filter label=service=app-mysql");
    expect(renderCmd(acc.pullImage(mysql))).toBe("docker image pull mysql:5.7");
    expect(renderCmd(acc.removeContainer(mysql))).toBe("docker container prune --force --filter label=service=app-mysql");
    expect(renderCmd(acc.removeImage(redis))).toBe("docker image rm --force other.registry/redis:7");
    expect(renderCmd(acc.removeServiceDirectory(mysql))).toBe("rm -rf app-mysql");
    expect(renderCmd(acc.ensureEnvDirectory(mysql))).toBe("mkdir -p .kamal/apps/app/env/accessories");
    expect(renderCmd(acc.createNetwork("kamal"))).toBe("docker network create kamal");
  });

  test("directories and uploads", () => {
    expect(renderCmd(acc.makeDirectory("$PWD/app-mysql/data"))).toBe("mkdir -p $PWD/app-mysql/data");
    expect(renderCmd(acc.makeDirectory("/abs/logs"))).toBe("mkdir -p /abs/logs");
    expect(renderCmd(acc.makeDirectoryFor("app-mysql/etc/mysql/my.cnf"))).toBe("mkdir -p app-mysql/etc/mysql");
    expect(renderCmd(acc.chmod("755", "app-mysql/etc/mysql/my.cnf"))).toBe("chmod 755 app-mysql/etc/mysql/my.cnf");
    expect(renderCmd(acc.chown("mysql:mysql", "$PWD/app-mysql/data"))).toBe("chown mysql:mysql $PWD/app-mysql/data");
    expect(mysql.directories.map((d) => d.local)).toEqual(["$PWD/app-mysql/data", "/abs/logs"]);
  });

  test("logs: tail, since, timestamps, grep with its options split into words", () => {
    expect(renderCmd(acc.logs(mysql, { lines: 100 }))).toBe("docker logs app-mysql --tail 100 --timestamps 2>&1");
    expect(renderCmd(acc.logs(mysql, { since: "5m", timestamps: false, grep: "it's", grepOptions: "-i -C 2" })))
      .toBe("docker logs app-mysql --since 5m 2>&1 | grep 'it'\\''s' -i -C 2");
    expect(renderCmd(acc.followLogs(mysql, { lines: 10, grep: "x" }))).toBe("docker logs app-mysql --timestamps --tail 10 --follow 2>&1 | grep x");
  });

  test("exec: a new container with env and volumes, or the running one; the command as the user typed it", () => {
    expect(renderCmd(acc.executeInNewContainer(mysql, ["mysql", "-e 'select 1'"]))).toBe(
      "docker run --rm --network kamal --env MYSQL_ROOT_HOST=% --env-file .kamal/apps/app/env/accessories/mysql.env" +
      " --volume extra:/extra --volume $PWD/app-mysql/etc/mysql/my.cnf:/etc/mysql/my.cnf --volume $PWD/app-mysql/data:/var/lib/mysql" +
      " --volume /abs/logs:/logs:ro mysql:5.7 mysql -e 'select 1'",
    );
    expect(renderCmd(acc.executeInNewContainer(redis, ["redis-cli"], { interactive: true })))
      .toBe("docker run -it --rm --network kamal --env-file .kamal/apps/app/env/accessories/redis.env other.registry/redis:7 redis-cli");
    expect(renderCmd(acc.executeInExistingContainer(redis, [" redis-cli ", "ping"], { interactive: true }))).toBe("docker exec -it app-redis redis-cli ping");
  });

  test("proxied accessory: deploy to the running container's id, remove", () => {
    expect(renderCmd(acc.runningContainerId(front))).toBe("docker container ls --filter 'name=^front$' --quiet");
    const flags = front.proxy!.deployFlags({ deployTimeout: 30, drainTimeout: 30, serviceAndDestination: "app" });
    expect(renderCmd(acc.proxyDeploy(front, "abc123", flags))).toBe(
      "docker exec kamal-proxy kamal-proxy deploy front --target=abc123:8080 --host=front.example.com --deploy-timeout=30s --drain-timeout=30s" +
      " --buffer-requests --buffer-responses --log-request-header=Cache-Control --log-request-header=Last-Modified --log-request-header=User-Agent",
    );
    expect(renderCmd(acc.proxyRemove(front))).toBe("docker exec kamal-proxy kamal-proxy remove front");
  });
});

import { afterEach, describe, expect, test } from "bun:test";
import { removeAll } from "../../src/flows/remove.ts";
import { DEPLOY_YML, fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());

describe("kamal remove", () => {
  test("one lock: app, proxy, accessories, registry logout on the hosts, then the unused kamal network", async () => {
    f = fixture({ files: { "config/deploy.yml": `${DEPLOY_YML}accessories:\n  db:\n    image: mysql\n    host: 1.1.1.3\n` } });
    f.runner.respond("ls .kamal/apps", { stdout: "0\n" });
    await removeAll(f.ctx);
    const lines = f.runner.lines("1.1.1.3");
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const order = [/docker image prune --all --force --filter label=service=app$/, /^docker container stop app-db$/,
      /^rm -rf app-db$/, /^docker logout registry\.example\.com$/, /^docker network rm kamal$/, /^docker volume rm kamal-proxy-config$/, /^rmdir \.kamal\/apps$/].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(f.runner.lines("1.1.1.1").filter((l) => l.startsWith("mkdir .kamal/lock-app"))).toHaveLength(1);
    const web = f.runner.lines("1.1.1.1");
    expect(web.findIndex((l) => l.startsWith("docker container stop kamal-proxy"))).toBeGreaterThan(web.findIndex((l) => l.includes("image prune --all --force --filter label=service=app")));
  });
});

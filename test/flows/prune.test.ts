import { afterEach, describe, expect, test } from "bun:test";
import { ArgumentError } from "../../src/errors.ts";
import { pruneAll, pruneContainers } from "../../src/flows/prune.ts";
import { fixture, type Fixture } from "./context-fixture.ts";

let f: Fixture;
afterEach(() => f?.cleanup());
const work = (lines: string[]) => lines.filter((l) => !/lock-app|^mkdir -p \.kamal$/.test(l));

describe("prune", () => {
  test("all: under the lock, on every host, audited, containers (retain_containers) then images", async () => {
    f = fixture({ command: { command: "prune", subcommand: "all" } });
    await pruneAll(f.ctx);
    for (const host of ["1.1.1.1", "1.1.1.2", "1.1.1.3"]) {
      const lines = work(f.runner.lines(host));
      expect(lines[0]).toContain("Pruned containers' >> .kamal/app-audit.log");
      expect(lines[1]).toStartWith("docker ps -q -a --filter label=service=app --filter status=created");
      expect(lines[1]).toContain("| tail -n +6 |");
      expect(lines[2]).toContain("Pruned images' >> .kamal/app-audit.log");
      expect(lines[3]).toBe("docker image prune --force --filter label=service=app");
      expect(lines[4]).toStartWith("docker image ls --filter label=service=app");
    }
    expect(f.runner.lines("1.1.1.1").filter((l) => l.startsWith("mkdir .kamal/lock-app"))).toHaveLength(1);
  });

  test("containers --retain N; below 1 is refused before anything runs", async () => {
    f = fixture();
    await pruneContainers(f.ctx, 2);
    expect(work(f.runner.lines("1.1.1.2"))[1]).toContain("| tail -n +3 |");
    const before = f.runner.lines().length;
    const err = await pruneContainers(f.ctx, 0).catch((e) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect(err.message).toBe("retain must be at least 1");
    expect(f.runner.lines()).toHaveLength(before);
  });
});

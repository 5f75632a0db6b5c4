import { expect, test } from "bun:test";
import { CommandRunner, LocalTransport, LOCALHOST, RecordingRunner, onHosts } from "../../src/exec/index.ts";
import { Logger, RunSummary, StringWriter } from "../../src/output/index.ts";
import { cmd } from "../../src/shell/index.ts";

test("summary of a fail-slow run: every host, its command count and its first failure line", async () => {
  let now = 1000;
  const summary = new RunSummary(() => now);
  const runner = new RecordingRunner(undefined, [summary]).respond("docker run", { code: 125, stderr: "port is already allocated" }, "vm3");
  const err = await onHosts(["vm1", "vm3"], async (h) => {
    await runner.run(h, cmd("docker", "pull", "app"));
    await runner.run(h, cmd("docker", "run", "app"));
  }).catch((e) => e);
  summary.recordError(err);
  now = 13_300;
  expect(summary.failedHosts).toEqual(["vm3"]);
  expect(summary.lines()).toEqual([
    "Summary: 1 of 2 hosts OK, 4 commands in 12.3s",
    "  vm1  ok      2 commands",
    "  vm3  FAILED  2 commands; docker run app exit status: 125",
  ]);
});

test("observers see local commands too; no hosts, no summary", async () => {
  const summary = new RunSummary();
  expect(summary.lines()).toEqual([]);
  const runner = new CommandRunner(new LocalTransport(), new Logger({ out: new StringWriter() }), [summary]);
  await runner.run(LOCALHOST, cmd("true"));
  expect(summary.lines()[1]).toBe("  localhost  ok      1 command");
});

import { describe, expect, test } from "bun:test";
import { LockError } from "../../src/errors.ts";
import { HostError, MultipleHostErrors, RoleError, onHosts, onRoles, rootCause } from "../../src/exec/index.ts";

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("onHosts (fail-slow)", () => {
  test("runs every host in parallel and returns results in host order, duplicates once", async () => {
    const started: string[] = [];
    const r = await onHosts(["a", "b", "a", "c"], async (h) => { started.push(h); await delay(h === "a" ? 20 : 1); return h.toUpperCase(); });
    expect(r).toEqual(["A", "B", "C"]);
    expect(started).toEqual(["a", "b", "c"]);
  });

  test("one failure is that host's error, after every other host finished", async () => {
    const finished: string[] = [];
    const err = await onHosts(["h1", "h2", "h3"], async (h) => {
      if (h === "h1") throw new LockError("Deploy lock found");
      await delay(30);
      finished.push(h);
    }).catch((e) => e);
    expect(finished).toEqual(["h2", "h3"]);
    expect(err).toBeInstanceOf(HostError);
    expect(err.message).toBe("Exception while executing on host h1: Deploy lock found");
    expect(err.kind).toBe("Kamal::Cli::LockError");
    expect(rootCause(err)).toBeInstanceOf(LockError);
  });

  test("several failures become one error listing each host", async () => {
    const err = await onHosts(["h1", "h2", "h3"], async (h) => { if (h !== "h2") throw new Error(`boom on ${h}`); }).catch((e) => e);
    expect(err).toBeInstanceOf(MultipleHostErrors);
    expect(err.message).toBe(
      "Exceptions on 2 hosts:\nException while executing on host h1: boom on h1\nException while executing on host h3: boom on h3",
    );
  });

  test("user@host wording when the host has a user", async () => {
    const err = await onHosts(["h1"], async () => { throw new Error("x"); }, { userOf: () => "deploy" }).catch((e) => e);
    expect(err.message).toBe("Exception while executing as deploy@h1: x");
  });
});

describe("onRoles", () => {
  const roles = [
    { name: "web", hosts: ["h1", "h2"] },
    { name: "workers", hosts: ["h2", "h3"] },
  ];
  test("sequential roles per host, hosts in parallel", async () => {
    const log: string[] = [];
    await onRoles(roles, ["h1", "h2", "h3"], async (h, r) => { log.push(`${h}:${r.name}:start`); await delay(5); log.push(`${h}:${r.name}:end`); });
    const h2 = log.filter((l) => l.startsWith("h2:"));
    expect(h2).toEqual(["h2:web:start", "h2:web:end", "h2:workers:start", "h2:workers:end"]);
    expect(log.length).toBe(8);
  });
  test("parallel roles aggregate as Exceptions on N roles", async () => {
    const err = await onRoles(roles, ["h1", "h2", "h3"], async (h, r) => { if (h === "h2") throw new Error(`bad ${r.name}`); }, { parallel: true }).catch((e) => e);
    expect(err).toBeInstanceOf(MultipleHostErrors);
    expect(err.message).toBe(
      "Exceptions on 2 roles:\n" +
        "Exception while executing on web: Exception while executing on host h2: bad web\n" +
        "Exception while executing on workers: Exception while executing on host h2: bad workers",
    );
    expect(err.errors[0]).toBeInstanceOf(RoleError);
  });
  test("only the selected hosts run", async () => {
    const seen: string[] = [];
    await onRoles(roles, ["h3"], async (h, r) => { seen.push(`${h}:${r.name}`); }, { parallel: true });
    expect(seen).toEqual(["h3:workers"]);
  });
});

import { describe, expect, test } from "bun:test";
import { ArgumentError } from "../../src/errors.ts";
import { fnmatch } from "../../src/exec/fnmatch.ts";
import { select, splitFilterList, type SelectionInput } from "../../src/exec/select.ts";

describe("fnmatch (File.fnmatch with FNM_EXTGLOB)", () => {
  test.each([
    ["*", "1.1.1.1", true],
    ["1.1.1.*", "1.1.1.3", true],
    ["1.1.1.?", "1.1.1.3", true],
    ["1.1.1.?", "1.1.1.33", false],
    ["1.1.1.[12]", "1.1.1.2", true],
    ["1.1.1.[12]", "1.1.1.3", false],
    ["1.1.1.[!12]", "1.1.1.3", true],
    ["1.1.1.[1-3]", "1.1.1.3", true],
    ["{web,workers}", "workers", true],
    ["{web,work{er,ing}s}", "workings", true],
    ["web", "web2", false],
    ["*", ".hidden", false],
    [".*", ".hidden", true],
    ["a\\*", "a*", true],
    ["a\\*", "ab", false],
    ["*.example.com", "a/b.example.com", true],
    ["WEB", "web", false],
  ] as const)("%p matches %p: %p", (pattern, name, expected) => {
    expect(fnmatch(pattern, name)).toBe(expected);
  });
});

const config: SelectionInput = {
  // alphabetical, as the config layer gives them
  roles: [
    { name: "jobs", hosts: ["1.1.1.3", "1.1.1.4"] },
    { name: "web", hosts: ["1.1.1.1", "1.1.1.2"], proxy: true },
    { name: "workers", hosts: ["1.1.1.3", "1.1.1.5"] },
  ],
  primaryRole: "web",
  accessories: [
    { name: "mysql", hosts: ["1.1.1.9"] },
    { name: "redis", hosts: ["1.1.1.1", "1.1.1.10"], proxy: true },
  ],
};

describe("select (§1.13)", () => {
  test("no filters: everything, primary role and its hosts first", () => {
    const s = select(config);
    expect(s.roles.map((r) => r.name)).toEqual(["web", "jobs", "workers"]);
    expect(s.hosts).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.9", "1.1.1.10"]);
    expect(s.primaryHost).toBe("1.1.1.1");
    expect(s.primaryRole?.name).toBe("web");
    expect(s.appHosts).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5"]);
    expect(s.proxyHosts).toEqual(["1.1.1.1", "1.1.1.2", "1.1.1.10"]);
    expect(s.accessoryHosts).toEqual(["1.1.1.9", "1.1.1.1", "1.1.1.10"]);
    expect(s.rolesOn("1.1.1.3").map((r) => r.name)).toEqual(["jobs", "workers"]);
  });

  test("--hosts with wildcards keeps pattern order and removes duplicates", () => {
    const s = select(config, { hosts: ["1.1.1.[34]", "1.1.1.1*"] });
    expect(s.hosts).toEqual(["1.1.1.1", "1.1.1.3", "1.1.1.4", "1.1.1.10"]);
    expect(s.roles.map((r) => r.name)).toEqual(["web", "jobs", "workers"]);
    expect(s.primaryHost).toBe("1.1.1.3");
    expect(s.primaryRole?.name).toBe("jobs");
  });

  test("--roles restricts hosts to those roles; primary host from the primary-or-first role", () => {
    const s = select(config, { roles: ["work*", "jobs"] });
    expect(s.roles.map((r) => r.name)).toEqual(["workers", "jobs"]);
    expect(s.hosts).toEqual(["1.1.1.3", "1.1.1.4", "1.1.1.5"]); // all_hosts order
    expect(s.primaryHost).toBe("1.1.1.3");
    expect(s.appHosts).toEqual(["1.1.1.3", "1.1.1.4", "1.1.1.5"]);
    expect(s.proxyHosts).toEqual([]);
  });

  test("--roles and --hosts intersect; roles without selected hosts disappear", () => {
    const s = select(config, { roles: ["{web,workers}"], hosts: ["1.1.1.5", "1.1.1.9"] });
    expect(s.roles.map((r) => r.name)).toEqual(["workers"]);
    expect(s.hosts).toEqual(["1.1.1.5"]);
    expect(s.accessoryHosts).toEqual([]);
  });

  test("-p is the primary host, or the first specific role's first host", () => {
    expect(select(config, { primary: true }).hosts).toEqual(["1.1.1.1"]);
    const s = select(config, { primary: true, roles: ["workers"] });
    expect(s.hosts).toEqual(["1.1.1.3"]);
    expect(s.roles.map((r) => r.name)).toEqual(["workers"]);
  });

  test("nothing matching is an ArgumentError with Kamal's wording", () => {
    expect(() => select(config, { hosts: ["9.9.9.9", "8.*"] })).toThrow(new ArgumentError("No --hosts match for 9.9.9.9,8.*"));
    expect(() => select(config, { roles: ["db"] })).toThrow("No --roles match for db");
  });

  test("splitFilterList keeps braces whole", () => {
    expect(splitFilterList("web, {a,b}*,1.1.1.[12]")).toEqual(["web", "{a,b}*", "1.1.1.[12]"]);
  });
});

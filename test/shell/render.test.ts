import { describe, expect, test } from "bun:test";
import { and, cmd, concat, docker, displayCmd, or, pipe, raw, redirect, renderCmd, secret, seq, sh, subst } from "../../src/shell/index.ts";

describe("renderCmd", () => {
  test("plain argv stays readable", () => {
    expect(renderCmd(docker("container", "stop", "app-web-abc123"))).toBe("docker container stop app-web-abc123");
  });
  test("quotes what the shell would interpret", () => {
    expect(renderCmd(cmd("echo", "a b", "it's", "$HOME", ""))).toBe(`echo 'a b' 'it'\\''s' '$HOME' ''`);
  });
  test("secrets are redacted for display only", () => {
    const c = docker("login", "-u", "me", "-p", secret("s3cr3t pw"));
    expect(renderCmd(c)).toBe("docker login -u me -p 's3cr3t pw'");
    expect(displayCmd(c)).toBe("docker login -u me -p [REDACTED]");
  });
  test("pipes, chains, redirects, substitution, sh -c", () => {
    const c = and(cmd("mkdir", "-p", ".kamal"), pipe(redirect(cmd("cat", "f"), "2>", "/dev/null"), cmd("head", "-1")));
    expect(renderCmd(c)).toBe("mkdir -p .kamal && cat f 2> /dev/null | head -1");
    expect(renderCmd(sh(cmd("docker", "ps", "--filter", concat("ancestor=", subst(cmd("id", "-u"))))))).toBe(
      `sh -c 'docker ps --filter ancestor=$(id -u)'`,
    );
    expect(renderCmd(cmd("echo", concat(raw("$PWD"), "/a b")))).toBe("echo $PWD'/a b'");
  });
});

describe("operator precedence", () => {
  const a = cmd("a"), b = cmd("b"), c = cmd("c");
  test("nested chains with other operators are grouped", () => {
    expect(renderCmd(or(a, and(b, c)))).toBe("a || { b && c; }");
    expect(renderCmd(and(a, seq(b, c)))).toBe("a && { b ; c; }");
    expect(renderCmd(seq(a, and(b, c)))).toBe("a ; b && c");
    expect(renderCmd(and(a, and(b, c)))).toBe("a && b && c");
  });
  test("a chain piped or redirected is grouped", () => {
    expect(renderCmd(pipe(and(a, b), c))).toBe("{ a && b; } | c");
    expect(renderCmd(redirect(pipe(a, b), ">", "out file"))).toBe("{ a | b; } > 'out file'");
  });
  test("grouping changes what actually runs", () => {
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const line = renderCmd(or(cmd("true"), and(cmd("false"), cmd("echo", "wrong"))));
    expect(spawnSync("/bin/sh", ["-c", line]).stdout.toString()).toBe("");
  });
});

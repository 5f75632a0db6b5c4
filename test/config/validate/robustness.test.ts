// Collecting every problem means validation goes on after a bad value: it must never crash, whatever the
// YAML held, and each problem must stay one line.
import { expect, test } from "bun:test";
import fc from "fast-check";
import { validationProblems } from "../../../src/config/validate/index.ts";
import { RubySymbol } from "../../../src/config/yaml.ts";

const KEYS = [
  "service", "image", "servers", "registry", "accessories", "env", "builder", "proxy", "ssh", "sshkit", "boot", "logging",
  "output", "aliases", "labels", "volumes", "hooks_output", "primary_role", "web", "hosts", "options", "restart", "clear",
  "secret", "tags", "ssl", "run", "bind_ips", "publish", "arch", "cache", "type", "files", "directories", "role", "roles",
  "host", "username", "password", "server", "otel", "file", "endpoint", "path", "x-ext", "config", "pack", "local", "remote",
];

const scalar = fc.oneof(
  fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true }),
  fc.string({ maxLength: 4 }).map((s) => new RubySymbol(s)),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("node"), { maxKeys: 4 })),
})).node;

test("validation never throws and reports one-line problems", () => {
  fc.assert(fc.property(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 }), (raw) => {
    const problems = validationProblems(raw);
    for (const line of problems) expect(line).not.toContain("\n");
    expect(new Set(problems).size).toBe(problems.length);
  }), { numRuns: 2000 });
});

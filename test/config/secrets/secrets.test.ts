import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ConfigurationError } from "../../../src/errors.ts";
import { Secrets } from "../../../src/config/secrets/index.ts";

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "kamal-secrets-")); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, ...extra });
const secrets = (opts: { destination?: string; secretsPath?: string; env?: Record<string, string | undefined> } = {}) =>
  new Secrets({ cwd: dir, env: opts.env ?? env(), destination: opts.destination, secretsPath: opts.secretsPath });

describe("Secrets files and precedence", () => {
  test("reads .kamal/secrets by default", () => {
    write({ ".kamal/secrets": "SECRET=ABC" });
    expect(secrets().get("SECRET")).toBe("ABC");
    expect(secrets().files()).toEqual([".kamal/secrets"]);
  });

  test("destinations: -common then secrets.<dest>; plain secrets only without a destination", () => {
    write({ ".kamal/secrets.dest": "SECRET=DEF", ".kamal/secrets": "SECRET=ABC", ".kamal/secrets-common": "SECRET=GHI\nSECRET2=JKL" });
    expect(secrets().get("SECRET")).toBe("ABC");
    expect(secrets({ destination: "dest" }).get("SECRET")).toBe("DEF");
    expect(secrets({ destination: "nodest" }).get("SECRET")).toBe("GHI");
    for (const destination of [undefined, "dest", "nodest"]) expect(secrets({ destination }).get("SECRET2")).toBe("JKL");
    expect(secrets({ destination: "dest" }).files()).toEqual([".kamal/secrets-common", ".kamal/secrets.dest"]);
  });

  test("custom secrets_path with common file and destination", () => {
    write({ "custom/path/secrets-common": "COMMON=SHARED\nSECRET=COMMON", "custom/path/secrets": "SECRET=OVERRIDE", "custom/path/secrets.prod": "SECRET=PROD" });
    const s = secrets({ secretsPath: "custom/path/secrets" });
    expect(s.get("COMMON")).toBe("SHARED");
    expect(s.get("SECRET")).toBe("OVERRIDE");
    expect(secrets({ secretsPath: "custom/path/secrets", destination: "prod" }).get("SECRET")).toBe("PROD");
  });

  test("keys, all and has (has is false for blank values, like Kamal's key?)", () => {
    write({ ".kamal/secrets": "A=1\nB=\nC='  '" });
    const s = secrets();
    expect(s.keys()).toEqual(["A", "B", "C"]);
    expect(s.all()).toEqual({ A: "1", B: "", C: "  " });
    expect([s.has("A"), s.has("B"), s.has("C"), s.has("Z")]).toEqual([true, false, false, false]);
  });

  test("variable references and env references; the file wins over the env", () => {
    write({ ".kamal/secrets": "SECRET1=ABC\nSECRET2=${SECRET1}DEF\nFROM_ENV=$FROM_ENV\nOVER=DEF" });
    const s = secrets({ env: env({ FROM_ENV: "env-value", OVER: "ABC" }) });
    expect(s.all()).toEqual({ SECRET1: "ABC", SECRET2: "ABCDEF", FROM_ENV: "env-value", OVER: "DEF" });
  });
});

describe("Secrets errors", () => {
  test("missing key lists the files that exist", () => {
    write({ ".kamal/secrets-common": "A=1", ".kamal/secrets": "B=2" });
    expect(() => secrets().get("SECRET")).toThrow(ConfigurationError);
    expect(() => secrets().get("SECRET")).toThrow("Secret 'SECRET' not found in .kamal/secrets-common, .kamal/secrets");
  });

  test("no secrets files at all", () => {
    expect(() => secrets().get("SECRET")).toThrow("Secret 'SECRET' not found, no secret files (.kamal/secrets-common, .kamal/secrets) provided");
    expect(() => secrets({ destination: "dest" }).get("SECRET")).toThrow(
      "Secret 'SECRET' not found, no secret files (.kamal/secrets-common, .kamal/secrets.dest) provided",
    );
    expect(() => secrets({ secretsPath: "custom/path/secrets" }).get("SECRET")).toThrow(
      "Secret 'SECRET' not found, no secret files (custom/path/secrets-common, custom/path/secrets) provided",
    );
  });
});

describe("Secrets command substitution", () => {
  test("$(command) runs through /bin/sh in cwd with the given env", () => {
    write({ "config/master.key": "k3y\n", ".kamal/secrets": "RAILS_MASTER_KEY=$(cat config/master.key)\nWHO=$(printf %s \"$WHO_VAR\")" });
    expect(secrets({ env: env({ WHO_VAR: "me" }) }).all()).toEqual({ RAILS_MASTER_KEY: "k3y", WHO: "me" });
  });

  test("lazy: nothing runs until first use, and each command runs once", () => {
    write({ ".kamal/secrets": "A=$(echo run >> counter; echo value)\nB=x" });
    const s = secrets();
    expect(existsSync(join(dir, "counter"))).toBe(false);
    expect(s.get("A")).toBe("value");
    expect(s.get("B")).toBe("x");
    expect(s.all().A).toBe("value");
    expect(readFileSync(join(dir, "counter"), "utf8")).toBe("run\n");
  });

  test("$(kamal secrets fetch/extract) runs in-process and round-trips through shell escaping", () => {
    write({
      ".kamal/secrets": [
        "SECRETS=$(kamal secrets fetch --adapter test --account acc --from vault foo LPARENbarRPAREN \"with space\")",
        "FOO=$(kamal secrets extract foo $SECRETS)",
        "BAR=$(kamal secrets extract LPARENbarRPAREN ${SECRETS})",
        "SPACE=$(kamal secrets extract 'with space' ${SECRETS})",
      ].join("\n"),
    });
    const s = secrets({ env: { PATH: "/nonexistent" } });
    expect(s.get("FOO")).toBe("oof/tluav");
    expect(s.get("BAR")).toBe(")rab(/tluav");
    expect(s.get("SPACE")).toBe("ecaps htiw/tluav");
    expect(JSON.parse(s.get("SECRETS").replace(/\\(.)/g, "$1"))).toEqual({
      "vault/foo": "oof/tluav", "vault/LPARENbarRPAREN": ")rab(/tluav", "vault/with space": "ecaps htiw/tluav",
    });
  });

  test("an inline fetch without --account fails with Kamal's message", () => {
    write({ ".kamal/secrets": "S=$(kamal secrets fetch --adapter test foo)" });
    expect(() => secrets().get("S")).toThrow("No value provided for required options '--account'");
  });
});

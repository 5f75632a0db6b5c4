import { describe, expect, test } from "bun:test";
import { lookupAdapter } from "../../../src/config/secrets/adapters/index.ts";
import { runInlineSecretsCommand, secretsExtract, secretsFetch, secretsPrint } from "../../../src/config/secrets/commands.ts";
import { cliRunner } from "../../../src/config/secrets/runner.ts";
import { shellescape, shellsplit } from "../../../src/shell/shellwords.ts";

const deps = { env: { PATH: "/nonexistent" }, cwd: "/" };

describe("kamal secrets fetch", () => {
  test("JSON of the adapter's results (test adapter)", () => {
    expect(secretsFetch({ adapter: "test", secrets: ["foo", "bar", "baz"], account: "myaccount" }, deps)).toBe('{"foo":"oof","bar":"rab","baz":"zab"}');
  });

  test("--from prefixes; --inline shell-escapes", () => {
    expect(secretsFetch({ adapter: "test", secrets: ["a"], account: "x", from: "v", inline: true }, deps)).toBe('\\{\\"v/a\\":\\"a/v\\"\\}');
  });

  test("missing --account prints Kamal's message instead of failing", () => {
    expect(secretsFetch({ adapter: "test", secrets: ["foo"] }, deps)).toBe("No value provided for required options '--account'");
    expect(secretsFetch({ adapter: "1password", secrets: ["foo"], account: " " }, deps)).toBe("No value provided for required options '--account'");
  });

  test("adapter names and aliases; unknown adapter", () => {
    const d = { run: cliRunner(deps), env: {} };
    for (const name of ["1password", "1Password", "one_password", "OnePassword", "bitwarden", "bitwarden-sm", "bitwarden_secrets_manager",
      "lastpass", "last_pass", "doppler", "aws_secrets_manager", "gcp", "gcp_secret_manager", "enpass", "passbolt", "test"]) {
      expect(() => lookupAdapter(name, d)).not.toThrow();
    }
    expect(() => lookupAdapter("keepass", d)).toThrow("Unknown secrets adapter: keepass");
    expect(lookupAdapter("doppler", d).requiresAccount).toBe(false);
    expect(lookupAdapter("lastpass", d).requiresAccount).toBe(true);
  });
});

describe("kamal secrets extract", () => {
  test("exact key, then a key ending in /NAME", () => {
    expect(secretsExtract("foo", '{"foo":"oof", "bar":"rab", "baz":"zab"}')).toBe("oof");
    expect(secretsExtract("foo", '{"abc/foo":"oof", "bar":"rab"}')).toBe("oof");
    expect(secretsExtract("foo", '{"xfoo":"no", "abc/foo":"yes"}')).toBe("yes");
  });

  test("missing", () => {
    expect(() => secretsExtract("nope", '{"foo":"oof"}')).toThrow("Could not find secret nope");
  });
});

describe("kamal secrets print", () => {
  test("KEY=VALUE lines", () => {
    expect(secretsPrint({ all: () => ({ SECRET1: "ABC", SECRET2: "ABCDEF" }) })).toBe("SECRET1=ABC\nSECRET2=ABCDEF");
  });
});

describe("inline commands", () => {
  test("fetch then extract round trip with awkward values", () => {
    const json = runInlineSecretsCommand("kamal secrets fetch -a test --account=a 'it''s' LPARENxRPAREN \"sp ace\"", deps);
    expect(shellsplit(json)).toEqual(['{"its":"sti","LPARENxRPAREN":")x(","sp ace":"eca ps"}']);
    expect(runInlineSecretsCommand(`kamal secrets extract LPARENxRPAREN ${json}`, deps)).toBe(")x(");
  });

  test("global options are ignored, unknown ones rejected, print refused", () => {
    expect(runInlineSecretsCommand("kamal secrets fetch -c config/deploy.yml -d prod --adapter test --account a x", deps)).toBe('\\{\\"x\\":\\"x\\"\\}');
    expect(() => runInlineSecretsCommand("kamal secrets fetch --adapter test --bogus x", deps)).toThrow("Unknown option --bogus");
    expect(() => runInlineSecretsCommand("kamal secrets print", deps)).toThrow("Only 'kamal secrets fetch' and 'kamal secrets extract'");
    expect(() => runInlineSecretsCommand("kamal secrets fetch x", deps)).toThrow("No value provided for required options '--adapter'");
  });
});

describe("shellwords (Ruby semantics)", () => {
  test("shellescape", () => {
    expect(shellescape("")).toBe("''");
    expect(shellescape("a-b_c.d,e:f+g/h@i")).toBe("a-b_c.d,e:f+g/h@i");
    expect(shellescape('{"a b":"$x"}')).toBe('\\{\\"a\\ b\\":\\"\\$x\\"\\}');
    expect(shellescape("a\nb")).toBe("a'\n'b");
  });

  test("shellsplit", () => {
    expect(shellsplit(`a 'b c' "d \\"e\\" \\$f \\g" h\\ i  `)).toEqual(["a", "b c", 'd "e" $f \\g', "h i"]);
    expect(shellsplit("x''y")).toEqual(["xy"]);
    expect(() => shellsplit("a 'b")).toThrow("Unmatched quote");
  });

  test("shellsplit undoes shellescape", () => {
    for (const s of ['{"k":"v (1) $x `y` \\\\ \'q\' ü"}', "a\nb", "", " lead"]) expect(shellsplit(shellescape(s))).toEqual([s]);
  });
});

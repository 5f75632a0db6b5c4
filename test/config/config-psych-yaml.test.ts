import { describe, expect, test } from "bun:test";
import { emitPsychYaml } from "../../src/config/psych-yaml.ts";
import { RubySymbol } from "../../src/config/yaml.ts";

// Expected strings are what Ruby 3.3 (Psych 5, libyaml 0.2.5) prints for the same `to_yaml` calls.
describe("Psych-compatible YAML emitter", () => {
  test("scalar quoting rules", () => {
    expect(emitPsychYaml({
      plain: "max-size=\"10m\"", dash: "--log-opt", quoted: "\"json-file\"", empty: "", yesword: "yes", yletter: "y", num: "3000",
      sym: new RubySymbol("fatal"), int: 22, bool: true, path: "/up", colon: "a: b", hash: "a #b", octalish: "0129", date: "2024-01-02",
    })).toBe([
      "---", "plain: max-size=\"10m\"", "dash: \"--log-opt\"", "quoted: '\"json-file\"'", "empty: ''", "yesword: 'yes'", "yletter: \"y\"",
      "num: '3000'", "sym: :fatal", "int: 22", "bool: true", "path: \"/up\"", "colon: 'a: b'", "hash: 'a #b'", "octalish: '0129'",
      "date: '2024-01-02'", "",
    ].join("\n"));
  });

  test("collections: indentless sequences under keys, nested hashes, empty ones", () => {
    const value = new Map<unknown, unknown>([
      [new RubySymbol("roles"), ["web", "jobs"]],
      [new RubySymbol("sshkit"), {}],
      [new RubySymbol("volume_args"), []],
      [new RubySymbol("accessories"), { db: { image: "mysql", files: ["a:b"], env: { clear: { A: 1 } } }, list: [["x", "z"], { k: "v", k2: "w" }] }],
    ]);
    expect(emitPsychYaml(value)).toBe([
      "---", ":roles:", "- web", "- jobs", ":sshkit: {}", ":volume_args: []", ":accessories:", "  db:", "    image: mysql",
      "    files:", "    - a:b", "    env:", "      clear:", "        A: 1", "  list:", "  - - x", "    - z", "  - k: v", "    k2: w", "",
    ].join("\n"));
  });

  test("long plain scalars fold after column 80 with the value's indent + 2", () => {
    const cmd = "sh -c \"/entrypoint.sh db createdb && /entrypoint.sh db migrate && /entrypoint.sh run\"";
    expect(emitPsychYaml({ acc: { x: { cmd } } })).toBe(
      "---\nacc:\n  x:\n    cmd: sh -c \"/entrypoint.sh db createdb && /entrypoint.sh db migrate && /entrypoint.sh\n      run\"\n");
  });

  test("multi-line strings use literal blocks, control characters double quotes", () => {
    expect(emitPsychYaml({ script: "echo 1\necho 2\n", tab: "a\tb" })).toBe("---\nscript: |\n  echo 1\n  echo 2\ntab: \"a\\tb\"\n");
  });
});

describe("Psych-compatible YAML emitter round-trips through the Psych-compatible parser", () => {
  test("any plain data comes back equal", async () => {
    const fc = (await import("fast-check")).default;
    const { parseYaml } = await import("../../src/config/yaml.ts");
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.constantFrom("yes", "no", "~", "null", "1_000", "0x1F", "1:30", ".5", "-", "- a", "a: b", "#x", "x #y", "'q'", "\"q\"", "@a", "`a`",
        "2024-01-02", "1e3", "0129", ":sym", " lead", "trail ", "a\nb", "a\n", "\n", "\ta", "...", "---", "=", "<<"),
      fc.stringMatching(/^[ -~]{0,120}$/),
      fc.string({ unit: "binary-ascii", maxLength: 20 }),
    );
    const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null));
    const key = fc.oneof(fc.string({ maxLength: 12 }).filter((k) => k !== "<<" && k.length > 0), fc.constantFrom("yes", "1", "a b", "-k"));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, scalar, tie("list"), tie("hash")),
      list: fc.array(tie("node"), { maxLength: 4 }),
      hash: fc.dictionary(key, tie("node"), { maxKeys: 4 }),
    }));
    fc.assert(fc.property(tree.hash, (value) => {
      const yaml = emitPsychYaml(value);
      expect(parseYaml(yaml, "round-trip.yml")).toEqual(value);
    }), { numRuns: 1000 });
  });
});

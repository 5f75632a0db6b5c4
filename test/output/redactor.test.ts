import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { REDACTED, Redactor } from "../../src/output/index.ts";

describe("Redactor", () => {
  test("scrubs every occurrence, longest value first", () => {
    const r = new Redactor(["abcd", "abcdefgh"]);
    expect(r.scrub("x abcdefgh y abcd z abcdefgh")).toBe(`x ${REDACTED} y ${REDACTED} z ${REDACTED}`);
  });
  test("ignores too-short and empty values", () => {
    const r = new Redactor(["", "ab", undefined as unknown as string]);
    expect(r.size).toBe(0);
    expect(r.scrub("ab ab")).toBe("ab ab");
  });
  test("multi-line secrets are scrubbed as a whole and line by line", () => {
    const key = "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\n-----END KEY-----";
    const r = new Redactor([key]);
    expect(r.scrub(`key: ${key}`)).toBe(`key: ${REDACTED}`);
    expect(r.scrub("line AAAABBBBCCCCDDDD")).toBe(`line ${REDACTED}`);
  });
  test("property: no known secret survives scrubbing", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 4, maxLength: 12 }), { minLength: 1, maxLength: 4 }), fc.array(fc.string(), { maxLength: 5 }), (secrets, noise) => {
        fc.pre(secrets.every((s) => s.trim() === s && !s.includes("\n") && !REDACTED.includes(s) && !s.includes("[") && !s.includes("]")));
        const r = new Redactor(secrets);
        const text = noise.map((n, i) => n + secrets[i % secrets.length]).join("|") + secrets.join("");
        const out = r.scrub(text);
        for (const s of secrets) expect(out.includes(s)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe("Redactor.follow", () => {
  test("scrubs values a source yields later (lazily loaded secrets), not before they exist", () => {
    let loaded: string[] = [];
    const r = new Redactor();
    r.follow(() => loaded);
    expect(r.scrub("token hunter22 here")).toBe("token hunter22 here");
    loaded = ["hunter22"];
    expect(r.scrub("token hunter22 here")).toBe("token [REDACTED] here");
  });
});

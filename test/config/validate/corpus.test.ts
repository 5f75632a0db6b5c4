// Real-world configurations (/work/shared/corpus): what Kamal 2.12 accepted must load and validate
// without problems; where Kamal stopped with a load-time validation error, our first problem line must be
// Kamal's message. Errors from the later semantic checks (src/config/checks.ts) must pass validation here.
import { describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRawConfig } from "../../../src/config/load.ts";
import { validationProblems } from "../../../src/config/validate/index.ts";
import { corpusDir } from "../../support/corpus.ts";

const CORPUS = corpusDir() ?? "/nonexistent-corpus";
const SEMANTIC = [
  "You must specify a destination", "Missing required configuration", "No servers", "The primary_role", "Current version is",
  "Must retain", "Service name can only", "Found ", "SSL is only supported", "Different roles can't", "Local registry with",
  "Conflicting proxy run", "Invalid hooks_output",
];

function parseEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!existsSync(path)) return env;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^([A-Za-z_]\w*)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

function expectedError(file: string): string | undefined {
  const text = readFileSync(file, "utf8");
  const m = /ERROR \(([^)]+)\): (.*?)(\x1b\[0m)?$/m.exec(text);
  return m?.[2];
}

const cases = existsSync(CORPUS) ? readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, "expected"))).sort() : [];

describe.skipIf(cases.length === 0)("corpus configurations", () => {
  for (const dir of cases) {
    const base = join(CORPUS, dir);
    const dests = existsSync(join(base, "case/dests")) ? readFileSync(join(base, "case/dests"), "utf8").split(/\s+/).filter(Boolean) : [];
    for (const dest of [undefined, ...dests]) {
      const id = dest ? `${dir}.${dest}` : dir;
      const codeFile = join(base, "expected", `${id}.code`);
      if (!existsSync(codeFile)) continue;
      test(id, () => {
        const code = readFileSync(codeFile, "utf8").trim();
        const expected = code === "0" ? undefined : expectedError(join(base, "expected", `${id}.out`)) ?? expectedError(join(base, "expected", `${id}.err`));
        const work = mkdtempSync(join(tmpdir(), "kamal-corpus-"));
        try {
          cpSync(join(base, "config"), join(work, "config"), { recursive: true });
          if (existsSync(join(base, "case/files"))) cpSync(join(base, "case/files"), work, { recursive: true });
          const env = { PATH: process.env.PATH, HOME: work, ...parseEnvFile(join(base, "case/env")) };
          const { raw } = loadRawConfig({ cwd: work, destination: dest, env });
          const problems = validationProblems(raw);
          if (expected === undefined || SEMANTIC.some((s) => expected.startsWith(s))) expect(problems).toEqual([]);
          else expect(problems[0]).toBe(expected);
        } finally {
          rmSync(work, { recursive: true, force: true });
        }
      });
    }
  }
});

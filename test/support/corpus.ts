// Where the real-world corpus lives: $KAMAL_CORPUS, else ../shared/corpus beside the repository
// (how CI lays out a clone), else /work/shared/corpus. Under CI a missing corpus is an error, not a skip.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function corpusDir(): string | undefined {
  const candidates = [
    process.env.KAMAL_CORPUS,
    fileURLToPath(new URL("../../../shared/corpus", import.meta.url)),
    "/work/shared/corpus",
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found && process.env.CI) throw new Error(`corpus not found (looked in ${candidates.join(", ")})`);
  return found;
}

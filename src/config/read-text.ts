// Reading a file the user points us at (deploy.yml, .kamal/secrets): a failure is one line naming the file and the fix.
import { readFileSync } from "node:fs";
import { ConfigurationError } from "../errors.ts";

const REASONS: Record<string, string> = {
  EACCES: "permission denied; check its owner and mode (ls -l)",
  EPERM: "permission denied; check its owner and mode (ls -l)",
  EISDIR: "it is a directory, not a file",
  ENOENT: "no such file",
};

/** The file's text; `what` names it in the error ("configuration file", "secrets file"), `shown` is the path to show. */
export function readUserFile(path: string, shown: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    throw new ConfigurationError(`Cannot read the ${what} ${shown}: ${REASONS[code] ?? (e instanceof Error ? e.message : String(e))}`);
  }
}

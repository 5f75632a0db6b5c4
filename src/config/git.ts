// The few git facts the configuration needs (Kamal::Git): is this a repo, HEAD, uncommitted changes.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { KamalError } from "../errors.ts";

function git(cwd: string, args: string[]): { ok: boolean; out: string } {
  try {
    const out = execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return { ok: true, out: out.trim() };
  } catch {
    return { ok: false, out: "" };
  }
}

export const gitUsed = (cwd: string): boolean => git(cwd, ["rev-parse"]).ok;
export const gitRevision = (cwd: string): string => git(cwd, ["rev-parse", "HEAD"]).out;
export const gitUncommittedChanges = (cwd: string): string => git(cwd, ["status", "--porcelain"]).out;
export const gitRoot = (cwd: string): string => git(cwd, ["rev-parse", "--show-toplevel"]).out;

/**
 * Kamal's git version: HEAD, plus `_uncommitted_<16 hex>` when the tree is dirty and the build is not a git clone
 * build (clone builds ignore local changes).
 */
export function gitVersion(cwd: string, gitCloneBuild: boolean): string {
  if (!gitUsed(cwd)) {
    throw new KamalError(`Can't use commit hash as version, no git repository found in ${cwd}; run kamal inside the app's git repository, or give --version (or VERSION)`, "RuntimeError");
  }
  const revision = gitRevision(cwd);
  const dirty = !gitCloneBuild && gitUncommittedChanges(cwd) !== "";
  return dirty ? `${revision}_uncommitted_${randomBytes(8).toString("hex")}` : revision;
}

// Git commands that keep the local build clone (reference §5a): clone the local repository into a temp directory,
// reset an existing clone to the local HEAD, and read back its state.
import { cmd, type Cmd } from "../shell/index.ts";

/** git -C <clone_dir> clone <git_root> --recurse-submodules */
export const cloneRepo = (cloneDirectory: string, gitRoot: string): Cmd =>
  cmd("git", "-C", cloneDirectory, "clone", gitRoot, "--recurse-submodules");

/** The steps that bring an existing clone to `revision`, in Kamal's order. */
export const resetClone = (buildDirectory: string, gitRoot: string, revision: string): Cmd[] => [
  cmd("git", "-C", buildDirectory, "remote", "set-url", "origin", gitRoot),
  cmd("git", "-C", buildDirectory, "fetch", "origin"),
  cmd("git", "-C", buildDirectory, "reset", "--hard", revision),
  cmd("git", "-C", buildDirectory, "clean", "-fdx"),
  cmd("git", "-C", buildDirectory, "submodule", "update", "--init"),
  cmd("git", "-C", buildDirectory, "gc", "--auto", "--quiet"),
];

/** git -C <build_dir> status --porcelain */
export const cloneStatus = (buildDirectory: string): Cmd => cmd("git", "-C", buildDirectory, "status", "--porcelain");

/** git -C <build_dir> rev-parse HEAD */
export const cloneRevision = (buildDirectory: string): Cmd => cmd("git", "-C", buildDirectory, "rev-parse", "HEAD");

// Building from a local git clone (reference §5a): only committed state is built, `.dockerignore` applies to a
// clean tree, and the build directory is stable per checkout. Clone; if the clone exists, reset it; check it is
// clean and on the local HEAD; on any failure delete it, clone again and check again; a second failure is raised.
import { mkdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { cloneRepo, cloneRevision, cloneStatus, resetClone } from "../commands/clone.ts";
import { BuildError } from "../errors.ts";
import { LOCALHOST, type Runner } from "../exec/index.ts";
import type { Logger } from "../output/index.ts";

export interface ClonePaths {
  /** BuilderConfig.cloneDirectory: <tmp>/kamal-clones/<service>-<first 13 hex of sha256(cwd)> */
  cloneDirectory: string;
  /** The clone's counterpart of `cwd` (kamal may run from a subdirectory of the repository). */
  buildDirectory: string;
  gitRoot: string;
}

export function clonePaths(cloneDirectory: string, cwd: string, gitRoot: string): ClonePaths {
  const inside = cwd.startsWith(gitRoot) ? cwd.slice(gitRoot.length) : "";
  return { cloneDirectory, buildDirectory: join(cloneDirectory, basename(gitRoot), inside), gitRoot };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function cloneOrReset(runner: Runner, logger: Logger, paths: ClonePaths, revision: string): Promise<void> {
  try {
    await clone(runner, logger, paths);
  } catch (error) {
    if (!/already exists and is not an empty directory/.test(messageOf(error))) throw new BuildError(`Failed to clone repo: ${messageOf(error)}`);
    logger.info(`Resetting local clone as \`${paths.buildDirectory}\` already exists...`);
    try {
      for (const step of resetClone(paths.buildDirectory, paths.gitRoot, revision)) await runner.run(LOCALHOST, step);
    } catch (resetError) {
      throw new BuildError(`Failed to clone repo: ${messageOf(resetError)}`);
    }
  }
}

async function clone(runner: Runner, logger: Logger, paths: ClonePaths): Promise<void> {
  logger.info(`Cloning repo into build directory \`${paths.buildDirectory}\`...`);
  mkdirSync(paths.cloneDirectory, { recursive: true });
  await runner.run(LOCALHOST, cloneRepo(paths.cloneDirectory, paths.gitRoot));
}

async function validate(runner: Runner, paths: ClonePaths, revision: string): Promise<void> {
  let status: string;
  let head: string;
  try {
    status = await runner.capture(LOCALHOST, cloneStatus(paths.buildDirectory));
    head = await runner.capture(LOCALHOST, cloneRevision(paths.buildDirectory));
  } catch (error) {
    throw new BuildError(`Failed to validate clone: ${messageOf(error)}`);
  }
  if (status !== "") throw new BuildError(`Clone in ${paths.buildDirectory} is dirty, ${status}`);
  if (head !== revision) throw new BuildError(`Clone in ${paths.buildDirectory} is not on the correct revision, expected \`${revision}\` but got \`${head}\``);
}

/** Leaves `paths.buildDirectory` as a clean checkout of `revision` (the local HEAD), or throws BuildError. */
export async function prepareClone(runner: Runner, logger: Logger, paths: ClonePaths, revision: string): Promise<void> {
  try {
    await cloneOrReset(runner, logger, paths, revision);
    await validate(runner, paths, revision);
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    logger.error(`Error preparing clone: ${error.message}, deleting and retrying...`);
    rmSync(paths.cloneDirectory, { recursive: true, force: true });
    try {
      await clone(runner, logger, paths);
    } catch (cloneError) {
      throw new BuildError(`Failed to clone repo: ${messageOf(cloneError)}`);
    }
    await validate(runner, paths, revision);
  }
}

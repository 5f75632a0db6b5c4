// Server-level commands: the run directory every other command relies on, and `server exec`.
import { cmd, raw, type Cmd } from "../shell/index.ts";

export interface RunDirectory { readonly runDirectory: string }

/** mkdir -p .kamal */
export const ensureRunDirectory = (c: RunDirectory): Cmd => cmd("mkdir", "-p", c.runDirectory);

/** `server exec`: the user's command line, run by the remote shell as typed (Kamal joins the words with spaces). */
export const userCommand = (words: readonly string[]): Cmd => cmd(raw(words.join(" ")));

// Kamal's `confirming`: Thor's `ask(question, limited_to: %w[y N], default: "N")` on the terminal; -y skips it.
import { createInterface } from "node:readline";
import type { Writer } from "./context.ts";

/** Prints `<question> [y, N] ` and reads one line from stdin; true only for "y" (end of input counts as N). */
export function askConfirmation(question: string, out: Writer, input: NodeJS.ReadableStream = process.stdin): Promise<boolean> {
  out.write(`${question} [y, N] `);
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let answered = false;
    rl.once("line", (line) => { answered = true; rl.close(); resolve(line.trim() === "y"); });
    rl.once("close", () => { if (!answered) resolve(false); });
  });
}

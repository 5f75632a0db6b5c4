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

/** Kamal's `confirming`: true with -y; otherwise asks, and prints Aborted (red on a terminal) unless the answer is y. */
export async function confirmed(io: { stdout: Writer; env: Readonly<Record<string, string | undefined>> }, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (await askConfirmation(question, io.stdout)) return true;
  const { colors, shouldColor } = await import("../output/color.ts");
  io.stdout.write(colors(shouldColor(io.stdout, io.env)).red("Aborted") + "\n");
  return false;
}

// Colour decisions: picocolors, on only for a TTY and when NO_COLOR is not set.
import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;
export type ColorName = "magenta" | "yellow" | "red" | "green" | "blue" | "cyan" | "black";

/** Should output to this stream be coloured? (TTY and no NO_COLOR; FORCE_COLOR forces it on.) */
export function shouldColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

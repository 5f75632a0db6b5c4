// How a fatal error is printed (bin/kamal): "  ERROR (<Class>): <message>" in red, the stack only when verbose.
import { KamalError } from "../errors.ts";

/** Kamal's class name for an error: KamalError.kind, else the JS constructor name. */
export function errorKind(e: unknown): string {
  if (e instanceof KamalError) return e.kind;
  if (e instanceof Error) return e.constructor.name;
  return "RuntimeError";
}

export function fatalLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return `  ERROR (${errorKind(e)}): ${message}`;
}

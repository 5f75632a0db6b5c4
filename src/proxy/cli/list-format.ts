// `kamal-proxy list` table: header row and one row per service, ANSI styled like kamal-proxy's formatting.go.
import type { ListEntry } from "../commands.ts";

const HEADER = "\x1b[3;94m";
const FIRST_COLUMN = "\x1b[1;34m";
const PLAIN = "\x1b[m";
const RESET = "\x1b[0m";

export function listRows(entries: ListEntry[]): string[][] {
  return entries.map((e) => [
    e.service,
    e.hosts.filter((h) => h !== "").join(",") || "*",
    e.paths.join(","),
    e.targets.join(","),
    e.state,
    e.tls ? "yes" : "no",
  ]);
}

export function formatList(entries: ListEntry[]): string {
  const header = ["Service", "Host", "Path", "Target", "State", "TLS"];
  const rows = listRows(entries);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], style: (i: number) => string) =>
    cells.map((c, i) => `${style(i)}${c.padEnd(widths[i]!)}${RESET}  `).join("").trimEnd() + "\n";
  return line(header, () => HEADER) + rows.map((r) => line(r, (i) => (i === 0 ? FIRST_COLUMN : PLAIN))).join("");
}

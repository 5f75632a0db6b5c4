import { VERSION } from "../version.ts";
export async function kamalMain(args: string[]): Promise<number> {
  if (args[0] === "version") { process.stdout.write(VERSION + "\n"); return 0; }
  process.stderr.write("  ERROR (NotImplementedError): not implemented yet\n");
  return 1;
}

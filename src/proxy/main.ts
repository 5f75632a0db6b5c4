export async function proxyMain(_args: string[]): Promise<number> {
  process.stderr.write("Error: kamal-proxy is not implemented yet in this build\n");
  return 1;
}

// argv for an interactive session through the OpenSSH client (Kamal shells out to `ssh -t` for `exec -i`,
// `app logs -f`, accessory/proxy shells): ssh[ -F f…| -F /dev/null][ -J user@proxy| -o ProxyCommand=…]
// [ -i key…][ -o IdentitiesOnly=yes] -t <user>@<host> -p <port> <command>
import { SSH_DEFAULTS, parseHostSpec, type SshOptions } from "./options.ts";

export function interactiveSshArgv(host: string, opts: SshOptions, command: string): string[] {
  const argv = ["ssh"];
  if (opts.config === false) argv.push("-F", "/dev/null");
  else if (typeof opts.config === "string") argv.push("-F", opts.config);
  else if (Array.isArray(opts.config)) for (const f of opts.config) argv.push("-F", f);
  if (opts.proxy) {
    const j = parseHostSpec(opts.proxy, "root");
    argv.push("-J", `${j.user}@${j.host}${j.port ? `:${j.port}` : ""}`);
  } else if (opts.proxyCommand) argv.push("-o", `ProxyCommand=${opts.proxyCommand}`);
  for (const k of opts.keys ?? []) argv.push("-i", k);
  if (opts.keysOnly) argv.push("-o", "IdentitiesOnly=yes");
  argv.push("-t", `${opts.user ?? SSH_DEFAULTS.user}@${host}`, "-p", String(opts.port ?? SSH_DEFAULTS.port), command);
  return argv;
}

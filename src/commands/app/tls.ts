// Custom TLS certificates for kamal-proxy (reference §3.8): `ssl: {certificate_pem, private_key_pem}` secrets written
// to `.kamal/proxy/apps-config/<svc[-dest]>/tls/<role>/{cert,key}.pem` on the host.
import type { Config, Role } from "../../config/index.ts";
import { cmd, type Cmd } from "../../shell/index.ts";

/** Host paths of the role's certificate and key, or undefined without custom certificates. */
export const tlsHostPaths = (config: Config, role: Role): { cert: string; key: string } | undefined =>
  role.proxy?.tlsPaths(config.proxyAppDirectory);

/** mkdir -p .kamal/proxy/apps-config/<svc>/tls/<role> */
export const makeTlsDirectory = (config: Config, role: Role): Cmd => cmd("mkdir", "-p", `${config.tlsDirectory}/${role.name}`);

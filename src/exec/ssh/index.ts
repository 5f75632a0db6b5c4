export * from "./options.ts";
export * from "./pool.ts";
export { KnownHosts, keyInfo, knownHostsName } from "./known-hosts.ts";
export { resolveHost, type ResolvedHost } from "./host-config.ts";
export { dnsBackoffSeconds } from "./connect.ts";
export { interactiveSshArgv } from "./interactive.ts";
export { sshOptionsFromKamal, type KamalSshSection, type KamalSshkitSection } from "./from-kamal.ts";

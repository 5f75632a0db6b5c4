// App command builders (reference §3.4-§3.8): pure functions from (config, role, host, version) to Cmd.
export * from "./containers.ts";
export * from "./run.ts";
export * from "./proxy.ts";
export * from "./assets.ts";
export * from "./error-pages.ts";
export * from "./tls.ts";

// exec/: side effects. Flows get a Runner (run/exec/capture/test/upload) and use onHosts/onRoles for fail-slow fan-out.
export * from "./errors.ts";
export * from "./types.ts";
export { CommandRunner, RoutingTransport, commandId } from "./runner.ts";
export { onHosts, onRoles, type RoleHosts, type OnHostsOptions } from "./fail-slow.ts";
export { LocalTransport, type LocalTransportOptions } from "./local.ts";
export { RecordingRunner, type RecordedCommand, type RecordedUpload } from "./recording.ts";
export * from "./select.ts";
export { fnmatch } from "./fnmatch.ts";
export * from "./ssh/index.ts";
export { createRunner, type CreateRunnerOptions } from "./create.ts";

// exec/: side effects. Flows get a Runner (run/exec/capture/test/upload) and use onHosts/onRoles for fail-slow fan-out.
//
//   const runner = createRunner({ ssh: { user: "root", port: 22, keys: [...] }, logger });   // "localhost" runs locally
//   await onHosts(selection.hosts, (host) => runner.run(host, cmd("mkdir", "-p", ".kamal")));
//   const ids = await runner.capture(host, docker("ps", "-q"), { level: "info" });
//   if (!(await runner.test(host, cmd("docker", "-v")))) ...
//   await runner.upload(host, envFileText, ".kamal/apps/app/env/roles/web.env", 0o600);
//   await runner.close();
// Errors: CommandFailed (non-zero exit), SshConnectionError / HostKeyMismatch (connect), HostError (one host in
// onHosts), MultipleHostErrors ("Exceptions on N hosts:"); rootCause(e) unwraps to what the block threw.
// Flow tests: new RecordingRunner().respond(/docker ps/, { stdout: "abc\n" }); then runner.lines(host).
export * from "./errors.ts";
export * from "./types.ts";
export { CommandRunner, RoutingTransport, commandId, type CommandObserver } from "./runner.ts";
export { onHosts, onRoles, type RoleHosts, type OnHostsOptions } from "./fail-slow.ts";
export { LocalTransport, type LocalTransportOptions } from "./local.ts";
export { RecordingRunner, type RecordedCommand, type RecordedForward, type RecordedUpload } from "./recording.ts";
export * from "./select.ts";
export { fnmatch } from "./fnmatch.ts";
export * from "./ssh/index.ts";
export { createRunner, type CreateRunnerOptions } from "./create.ts";

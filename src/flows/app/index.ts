// The app flows the CLI calls (`kamal app ...`).
export { appBoot, bootRole, bootGroups } from "./boot.ts";
export { appContainers, appDetails, appVersion, currentRunningVersion, runningVersions, staleContainers } from "./containers.ts";
export { Barrier, HealthcheckError } from "./barrier.ts";
export { waitForHealthy } from "./poller.ts";

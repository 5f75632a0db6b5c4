// Arguments and replies of the control calls (CLI -> server), mirroring kamal-proxy's commands.go.
import type { DeploymentOptions, ServiceOptions, TargetOptions } from "./options.ts";

export interface DeployArgs {
  service: string;
  target_urls: string[];
  reader_urls: string[];
  deployment_options: DeploymentOptions;
  service_options: ServiceOptions;
  target_options: TargetOptions;
}

export interface RolloutDeployArgs {
  service: string;
  target_urls: string[];
  reader_urls: string[];
  deployment_options: DeploymentOptions;
}

export interface PauseArgs {
  service: string;
  drain_timeout: number;
  pause_timeout: number;
}

export interface StopArgs {
  service: string;
  drain_timeout: number;
  message: string;
}

export interface RolloutSetArgs {
  service: string;
  percentage: number;
  allowlist: string[];
}

export interface ServiceArgs {
  service: string;
}

export interface ListEntry {
  service: string;
  hosts: string[];
  paths: string[];
  targets: string[];
  state: "running" | "paused" | "stopped";
  tls: boolean;
}

export const RPC_METHODS = [
  "Deploy", "Remove", "Pause", "Stop", "Resume", "List", "RolloutDeploy", "RolloutSet", "RolloutStop",
] as const;
export type RpcMethod = (typeof RPC_METHODS)[number];

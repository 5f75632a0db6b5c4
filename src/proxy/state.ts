// The state file (kamal-proxy §2.14): one JSON array of services, rewritten after every change, read on start.
// Older formats (`active_target`, `rollout_target`, top-level `hosts` / `path_prefixes`) are accepted.
import { readFileSync, writeFileSync } from "node:fs";
import {
  defaultServiceOptions, defaultTargetOptions, normalizeServiceOptions, type ServiceOptions, type TargetOptions,
} from "./options.ts";
import type { PauseControllerState } from "./pause-controller.ts";
import type { RolloutControllerState } from "./rollout-controller.ts";

export interface SavedService {
  name: string;
  options: ServiceOptions;
  target_options: TargetOptions;
  active_targets: string[];
  active_readers: string[];
  rollout_targets: string[] | null;
  rollout_readers: string[] | null;
  pause_controller: PauseControllerState;
  rollout_controller: RolloutControllerState | null;
}

export class StateDecodeError extends Error {}

export function writeState(path: string, services: SavedService[]): void {
  writeFileSync(path, JSON.stringify(services) + "\n");
}

/** null when there is no state file yet. Throws StateDecodeError when any service can't be decoded. */
export function readState(path: string): SavedService[] | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new StateDecodeError((error as Error).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StateDecodeError((error as Error).message);
  }
  if (!Array.isArray(raw)) throw new StateDecodeError("state is not a list of services");
  return raw.map(decodeService);
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new StateDecodeError(`${what} must be a list of strings`);
  return value;
}

function decodeService(raw: unknown): SavedService {
  if (typeof raw !== "object" || raw === null) throw new StateDecodeError("service must be an object");
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== "string" || r.name === "") throw new StateDecodeError("service without a name");
  const savedOptions = (r.options ?? {}) as Partial<ServiceOptions>;
  const options: ServiceOptions = { ...defaultServiceOptions(), ...savedOptions };
  if (r.hosts !== undefined) options.hosts = stringList(r.hosts, "hosts");
  if (r.path_prefixes !== undefined) options.path_prefixes = stringList(r.path_prefixes, "path_prefixes");
  const savedTarget = (r.target_options ?? {}) as Partial<TargetOptions>;
  const defaults = defaultTargetOptions();
  const targetOptions: TargetOptions = {
    ...defaults,
    ...savedTarget,
    health_check_config: { ...defaults.health_check_config, ...(savedTarget.health_check_config ?? {}) },
  };
  const active = r.active_targets !== undefined ? stringList(r.active_targets, "active_targets")
    : typeof r.active_target === "string" && r.active_target !== "" ? [r.active_target] : [];
  const rollout = r.rollout_targets !== undefined && r.rollout_targets !== null ? stringList(r.rollout_targets, "rollout_targets")
    : typeof r.rollout_target === "string" && r.rollout_target !== "" ? [r.rollout_target] : null;
  return {
    name: r.name,
    options: normalizeServiceOptions(options),
    target_options: targetOptions,
    active_targets: active,
    active_readers: stringList(r.active_readers, "active_readers"),
    rollout_targets: rollout,
    rollout_readers: r.rollout_readers ? stringList(r.rollout_readers, "rollout_readers") : rollout ? [] : null,
    pause_controller: (r.pause_controller as PauseControllerState) ?? { state: 0, stop_message: "", fail_after: 0 },
    rollout_controller: (r.rollout_controller as RolloutControllerState) ?? null,
  };
}

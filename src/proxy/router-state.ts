// Turning options into ready-to-serve resources (error pages, certificates) and services into / out of the
// state file. Any failure while restoring aborts the whole restore, like kamal-proxy.
import { loadErrorPages } from "./error-pages.ts";
import { buildTargets, LoadBalancer } from "./load-balancer.ts";
import type { Logger } from "./logger.ts";
import type { ServiceOptions, TargetOptions } from "./options.ts";
import { RolloutController } from "./rollout-controller.ts";
import { Service, type PreparedOptions } from "./service.ts";
import { readState, type SavedService } from "./state.ts";
import { loadCertificatePair } from "./tls.ts";

export class PrepareError extends Error {}

/** Loads what the options refer to; throws `unable to load error pages` / `unable to load certificate` / ACME errors. */
export async function prepareOptions(options: ServiceOptions, targetOptions: TargetOptions): Promise<PreparedOptions> {
  let certificate = null;
  if (options.tls_enabled && options.tls_certificate_path !== "") {
    certificate = await loadCertificatePair(options.tls_certificate_path, options.tls_private_key_path);
  } else if (options.tls_enabled && options.tls_on_demand_url === "" && options.hosts.some((h) => h.startsWith("*"))) {
    throw new PrepareError("automatic TLS does not support wildcards");
  }
  const customPages = options.error_page_path !== "" ? await loadErrorPages(options.error_page_path) : null;
  return { options, targetOptions, customPages, certificate };
}

export function savedService(service: Service): SavedService {
  return {
    name: service.name,
    options: service.options,
    target_options: service.targetOptions,
    active_targets: service.active?.writerNames ?? [],
    active_readers: service.active?.readerNames ?? [],
    rollout_targets: service.rollout?.writerNames ?? null,
    rollout_readers: service.rollout?.readerNames ?? null,
    pause_controller: service.pause.toJSON(),
    rollout_controller: service.rolloutController?.toJSON() ?? null,
  };
}

function restoredBalancer(writers: string[], readers: string[], targetOptions: TargetOptions, logger: Logger): LoadBalancer {
  const lb = new LoadBalancer(buildTargets(writers, logger), buildTargets(readers, logger), logger);
  lb.markAllHealthy();
  if (lb.targets.length > 1) lb.startHealthChecks(targetOptions.health_check_config);
  return lb;
}

/** The services of the state file, ready to serve; null when there is nothing (or nothing valid) to restore. */
export async function restoreServices(path: string, logger: Logger): Promise<Service[] | null> {
  let saved: SavedService[] | null;
  try {
    saved = readState(path);
  } catch (error) {
    logger.error("Failed to decode saved state", { path, error: (error as Error).message });
    return null;
  }
  if (saved === null) {
    logger.info("No previous state to restore", { path });
    return null;
  }
  const services: Service[] = [];
  try {
    for (const entry of saved) {
      const prepared = await prepareOptions(entry.options, entry.target_options);
      const service = new Service(entry.name, prepared);
      service.active = restoredBalancer(entry.active_targets, entry.active_readers, entry.target_options, logger);
      if (entry.rollout_targets) {
        service.rollout = restoredBalancer(entry.rollout_targets, entry.rollout_readers ?? [], entry.target_options, logger);
      }
      service.rolloutController = RolloutController.fromState(entry.rollout_controller);
      service.pause.restore(entry.pause_controller);
      services.push(service);
    }
  } catch (error) {
    for (const service of services) {
      service.active?.stopHealthChecks();
      service.rollout?.stopHealthChecks();
    }
    logger.error("Failed to decode saved state", { path, error: (error as Error).message });
    return null;
  }
  logger.info("Restored saved state", { path });
  return services;
}

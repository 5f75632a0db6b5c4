// The router (kamal-proxy §2.2, §2.4, §2.6, §2.7): services by name, the routing index, the deploy protocol
// (health wait, install, switch, drain), pause/stop/resume, rollouts and the state file.
import type { DeployArgs, ListEntry, PauseArgs, RolloutDeployArgs, RolloutSetArgs, StopArgs } from "./commands.ts";
import { formatDuration } from "./duration.ts";
import { buildTargets, LoadBalancer } from "./load-balancer.ts";
import type { Logger } from "./logger.ts";
import { normalizeServiceOptions, servesRootPath, validateServiceOptions, type DeploymentOptions, type TargetOptions } from "./options.ts";
import { PauseState } from "./pause-controller.ts";
import { RolloutController } from "./rollout-controller.ts";
import { Service } from "./service.ts";
import { ServiceMap, type RouteMatch } from "./service-map.ts";
import { prepareOptions, restoreServices, savedService } from "./router-state.ts";
import { writeState } from "./state.ts";
import type { AcmeManager } from "./acme-manager.ts";

export class RouterError extends Error {}

const STATE_NAMES = ["running", "paused", "stopped"] as const;

export class Router {
  readonly services = new Map<string, Service>();
  private map = new ServiceMap<Service>([]);
  /** Called after the set of TLS services may have changed (the HTTPS listener reloads its certificates). */
  onChange: () => void = () => undefined;

  constructor(
    private readonly statePath: string,
    private readonly logger: Logger,
    private readonly acme: AcmeManager | null = null,
  ) {}

  lookup(host: string, path: string): RouteMatch<Service> | null {
    return this.map.lookup(host, path);
  }

  rootServiceForHost(host: string): Service | null {
    return this.map.rootServiceForHost(host);
  }

  private service(name: string): Service {
    const service = this.services.get(name);
    if (!service) throw new RouterError("service not found");
    return service;
  }

  private async waitHealthy(lb: LoadBalancer, targetOptions: TargetOptions, deployment: DeploymentOptions): Promise<void> {
    lb.startHealthChecks(targetOptions.health_check_config);
    if (deployment.force) return;
    const healthy = await lb.waitUntilHealthy(deployment.deploy_timeout / 1e6);
    if (!healthy) {
      lb.stopHealthChecks();
      throw new RouterError(`target failed to become healthy within configured timeout (${formatDuration(deployment.deploy_timeout)})`);
    }
  }

  async deploy(args: DeployArgs): Promise<void> {
    const invalid = validateServiceOptions(args.service_options);
    if (invalid) throw new RouterError(invalid);
    const options = normalizeServiceOptions(args.service_options);
    const lb = new LoadBalancer(buildTargets(args.target_urls, this.logger), buildTargets(args.reader_urls ?? [], this.logger), this.logger);
    this.logger.info("Deploying", { service: args.service, targets: args.target_urls, hosts: options.hosts, paths: options.path_prefixes, tls: options.tls_enabled });
    await this.waitHealthy(lb, args.target_options, args.deployment_options);
    let previous: LoadBalancer | null;
    try {
      const prepared = await prepareOptions(options, args.target_options);
      try {
        this.map.checkAvailability(args.service, options.hosts, options.path_prefixes);
      } catch (error) {
        this.logger.info("Host settings conflict with another service", { service: args.service });
        throw error;
      }
      let service = this.services.get(args.service);
      if (service) service.apply(prepared);
      else this.services.set(args.service, (service = new Service(args.service, prepared)));
      previous = service.active;
      service.active = lb;
      service.acme = this.acme;
      this.rebuild();
    } catch (error) {
      lb.stopHealthChecks();
      this.saveState();
      throw error;
    }
    this.saveState();
    void this.acme?.ensure(options);
    if (previous) {
      previous.stopHealthChecks();
      await previous.drain(args.deployment_options.drain_timeout / 1e6);
    }
    this.logger.info("Deployed", { service: args.service, targets: args.target_urls, hosts: options.hosts, paths: options.path_prefixes, tls: options.tls_enabled });
  }

  async rolloutDeploy(args: RolloutDeployArgs): Promise<void> {
    const existing = this.service(args.service);
    const lb = new LoadBalancer(buildTargets(args.target_urls, this.logger), buildTargets(args.reader_urls ?? [], this.logger), this.logger);
    this.logger.info("Deploying for rollout", { service: args.service, targets: args.target_urls });
    await this.waitHealthy(lb, existing.targetOptions, { ...args.deployment_options, force: false });
    const service = this.service(args.service);
    const previous = service.rollout;
    service.rollout = lb;
    this.saveState();
    if (previous) {
      previous.stopHealthChecks();
      await previous.drain(args.deployment_options.drain_timeout / 1e6);
    }
    this.logger.info("Deployed for rollout", { service: args.service, targets: args.target_urls });
  }

  rolloutSet(args: RolloutSetArgs): void {
    const service = this.services.get(args.service);
    try {
      if (!service) throw new RouterError("service not found");
      if (!service.rollout) throw new RouterError("rollout target not set");
      service.rolloutController = new RolloutController(args.percentage, args.allowlist ?? []);
      this.logger.info("Set rollout split", { service: args.service, percentage: args.percentage, allowlist: args.allowlist ?? [] });
    } finally {
      this.saveState();
    }
  }

  rolloutStop(name: string): void {
    try {
      this.service(name).rolloutController = null;
      this.logger.info("Stopped rollout", { service: name });
    } finally {
      this.saveState();
    }
  }

  remove(name: string): void {
    try {
      const service = this.service(name);
      service.active?.stopHealthChecks();
      service.rollout?.stopHealthChecks();
      this.services.delete(name);
      this.rebuild();
    } finally {
      this.saveState();
    }
  }

  private async drainService(service: Service, drainTimeoutNs: number): Promise<void> {
    const ms = drainTimeoutNs / 1e6;
    await Promise.all([service.active?.drain(ms), service.rollout?.drain(ms)]);
    this.logger.info("Service drained", { service: service.name });
  }

  async pause(args: PauseArgs): Promise<void> {
    await this.halt(args.service, args.drain_timeout, "Service paused", (service) => service.pause.pause(args.pause_timeout));
  }

  async stop(args: StopArgs): Promise<void> {
    await this.halt(args.service, args.drain_timeout, "Service stopped", (service) => service.pause.stop(args.message));
  }

  /** Pause or stop: change the service's state, then drain what it is serving. */
  private async halt(name: string, drainTimeoutNs: number, message: string, change: (service: Service) => void): Promise<void> {
    const service = this.services.get(name);
    if (!service) {
      this.saveState();
      throw new RouterError("service not found");
    }
    change(service);
    this.logger.info(message, { service: name });
    await this.drainService(service, drainTimeoutNs);
    this.saveState();
  }

  resume(name: string): void {
    try {
      this.service(name).pause.resume();
      this.logger.info("Service resumed", { service: name });
    } finally {
      this.saveState();
    }
  }

  list(): ListEntry[] {
    const entries: ListEntry[] = [];
    for (const service of this.services.values()) {
      if (!service.active) continue;
      entries.push({
        service: service.name,
        hosts: service.hosts,
        paths: service.pathPrefixes,
        targets: [...service.active.writerNames, ...service.active.readerNames],
        state: STATE_NAMES[service.pause.state as PauseState],
        tls: service.options.tls_enabled,
      });
    }
    return entries.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  }

  /** Rebuilds the routing index and the TLS settings path services inherit from their root service. */
  private rebuild(): void {
    this.map = new ServiceMap(this.services.values());
    for (const service of this.services.values()) {
      if (servesRootPath(service.options)) continue;
      const root = this.map.rootServiceForHost(service.hosts[0] ?? "");
      if (root) service.inheritTLS(root.options.tls_enabled, root.options.tls_redirect);
      else service.inheritTLS(false, true);
    }
    this.onChange();
  }

  saveState(): void {
    try {
      writeState(this.statePath, [...this.services.values()].map(savedService));
      this.logger.debug("Saved state", { path: this.statePath });
    } catch (error) {
      this.logger.error("Unable to save state", { path: this.statePath, error: (error as Error).message });
    }
  }

  async restoreLastSavedState(): Promise<void> {
    const restored = await restoreServices(this.statePath, this.logger);
    if (!restored) return;
    for (const service of restored) {
      service.acme = this.acme;
      this.services.set(service.name, service);
      await this.acme?.ensure(service.options);
    }
    this.rebuild();
  }
}

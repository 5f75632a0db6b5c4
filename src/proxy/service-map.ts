// The routing index (kamal-proxy §2.2): host -> bindings (prefix, service) sorted by prefix length, looked up by
// exact host, then one-level wildcard, then catch-all, with no fall-through once a host set is chosen.

export interface Routable {
  readonly name: string;
  readonly hosts: string[];
  readonly pathPrefixes: string[];
}

interface Binding<S> {
  prefix: string;
  service: S;
}

export interface RouteMatch<S> {
  service: S;
  prefix: string;
}

export class HostConflictError extends Error {
  constructor() {
    super("host settings conflict with another service");
  }
}

/** `/api` matches `/api` and `/api/x` but not `/apiary`; `/` matches everything. */
export function prefixMatches(path: string, prefix: string): boolean {
  if (prefix === "/") return true;
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === 47;
}

export class ServiceMap<S extends Routable> {
  private readonly index = new Map<string, Binding<S>[]>();

  constructor(services: Iterable<S>) {
    for (const service of services) {
      for (const host of service.hosts) {
        let bindings = this.index.get(host);
        if (!bindings) this.index.set(host, (bindings = []));
        for (const prefix of service.pathPrefixes) bindings.push({ prefix, service });
      }
    }
    for (const bindings of this.index.values()) bindings.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Bindings for a host: exact, then `*.<parent>`, then catch-all. */
  private bindingsFor(host: string): Binding<S>[] | undefined {
    const exact = this.index.get(host);
    if (exact) return exact;
    const dot = host.indexOf(".");
    if (dot > 0) {
      const wildcard = this.index.get("*" + host.slice(dot));
      if (wildcard) return wildcard;
    }
    return this.index.get("");
  }

  lookup(host: string, path: string): RouteMatch<S> | null {
    const bindings = this.bindingsFor(host);
    if (!bindings) return null;
    for (const b of bindings) {
      if (prefixMatches(path, b.prefix)) return { service: b.service, prefix: b.prefix };
    }
    return null;
  }

  /** The service serving `/` for a host (used for TLS: certificates and inherited settings). */
  rootServiceForHost(host: string): S | null {
    const bindings = this.bindingsFor(host);
    return bindings?.find((b) => b.prefix === "/")?.service ?? null;
  }

  /** Throws HostConflictError when another service already owns one of the (host, prefix) pairs. */
  checkAvailability(name: string, hosts: string[], prefixes: string[]): void {
    for (const host of hosts) {
      const bindings = this.index.get(host);
      if (!bindings) continue;
      for (const prefix of prefixes) {
        if (bindings.some((b) => b.prefix === prefix && b.service.name !== name)) throw new HostConflictError();
      }
    }
  }
}

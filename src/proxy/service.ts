// One deployed service (kamal-proxy §2.3): options, the active and rollout load balancers, pause state, and the
// per-request pipeline (client IP -> TLS check -> redirects -> pause -> pick LB -> claim target -> proxy).
import type { RolloutController } from "./rollout-controller.ts";
import { errorPageResponse, builtInErrorPages, ERROR_PAGE_CONTENT_TYPE, renderErrorPage, statusText, type ErrorPageSet } from "./error-pages.ts";
import { redirectResponse, type CertificatePair } from "./tls.ts";
import { scopeCookiePaths } from "./cookie-scope.ts";
import { LoadBalancer, writerAffinityCookie } from "./load-balancer.ts";
import { PauseController, PauseState } from "./pause-controller.ts";
import { isOnDemandTLS, type ServiceOptions, type TargetOptions } from "./options.ts";
import { isWebSocketUpgrade, type RequestContext } from "./request-context.ts";
import { proxyWebSocket } from "./websocket-bridge.ts";
import { usesAcme, type AcmeManager } from "./acme-manager.ts";

const BUILT_IN_PAGES = builtInErrorPages();

/** Resources prepared from options before a deploy commits (so a failure leaves the old service untouched). */
export interface PreparedOptions {
  options: ServiceOptions;
  targetOptions: TargetOptions;
  customPages: ErrorPageSet | null;
  /** Static certificate (--tls-certificate-path / --tls-private-key-path), if any. */
  certificate: CertificatePair | null;
}

export class Service {
  active: LoadBalancer | null = null;
  rollout: LoadBalancer | null = null;
  rolloutController: RolloutController | null = null;
  readonly pause = new PauseController();
  options!: ServiceOptions;
  targetOptions!: TargetOptions;
  certificate: CertificatePair | null = null;
  private pageSets: ErrorPageSet[] = [BUILT_IN_PAGES];
  private needsRedirectCheck = false;
  /** Set for services whose certificates come from ACME: answers HTTP-01 challenges. */
  acme: AcmeManager | null = null;

  constructor(
    readonly name: string,
    prepared: PreparedOptions,
  ) {
    this.apply(prepared);
  }

  get hosts(): string[] {
    return this.options.hosts;
  }

  get pathPrefixes(): string[] {
    return this.options.path_prefixes;
  }

  apply(prepared: PreparedOptions): void {
    this.options = prepared.options;
    this.targetOptions = prepared.targetOptions;
    this.certificate = prepared.certificate;
    this.pageSets = prepared.customPages ? [prepared.customPages, BUILT_IN_PAGES] : [BUILT_IN_PAGES];
    this.refreshRedirectFlag();
  }

  /** TLS settings inherited from the root-path service of the same host (path services can't set their own). */
  inheritTLS(tlsEnabled: boolean, tlsRedirect: boolean): void {
    this.options = { ...this.options, tls_enabled: tlsEnabled, tls_redirect: tlsRedirect };
    this.refreshRedirectFlag();
  }

  private refreshRedirectFlag(): void {
    this.needsRedirectCheck = (this.options.tls_enabled && this.options.tls_redirect) || this.options.canonical_host !== "";
  }

  errorResponse(ctx: RequestContext, status: number, message?: string): Response {
    ctx.status = status;
    if (status === 499) return new Response(null, { status: 499 });
    return errorPageResponse(status, message ? { message } : {}, this.pageSets, ctx.req.method);
  }

  /** An error page as bytes, for the fast path (fast/exchange.ts), which writes heads itself. */
  errorPage(status: number, method: string): { statusText: string; contentType: string; body: Buffer } {
    const body = method === "HEAD" ? "" : renderErrorPage(status, {}, this.pageSets);
    return { statusText: statusText(status), contentType: ERROR_PAGE_CONTENT_TYPE, body: Buffer.from(body, "utf8") };
  }

  /**
   * Whether a plain request (no body, no upgrade) for this service can take the fast path: nothing between the
   * router and the target but forwarding. Pauses, redirects, ACME challenges, rollouts, reader targets, cookie
   * scoping and response-header logging all stay on the full path.
   */
  fastPathTarget(matchedPrefix: string): LoadBalancer | null {
    const { options, targetOptions } = this;
    if (this.pause.state !== PauseState.Running || this.needsRedirectCheck || this.rollout !== null) return null;
    if (this.acme && (usesAcme(options) || isOnDemandTLS(options))) return null;
    if (targetOptions.scope_cookie_paths && matchedPrefix !== "") return null;
    if (targetOptions.log_response_headers?.length) return null;
    if (targetOptions.log_request_headers?.some((h) => h.toLowerCase() === "set-cookie")) return null;
    const lb = this.active;
    return lb && !lb.hasReaders ? lb : null;
  }

  isHealthCheckRequest(ctx: RequestContext): boolean {
    const method = ctx.req.method;
    return (method === "GET" || method === "HEAD") && ctx.routedPath === this.targetOptions.health_check_config.path;
  }

  async handle(ctx: RequestContext): Promise<Response | undefined> {
    const { options } = this;
    if (options.client_ip_header !== "") {
      const value = ctx.req.headers.get(options.client_ip_header);
      if (value) ctx.clientIp = value;
    }
    if (this.acme && (usesAcme(options) || isOnDemandTLS(options))) {
      const challenge = this.acme.challengeResponse(ctx.path, ctx.hostname, options);
      if (challenge) return challenge;
    }
    if (!options.tls_enabled && ctx.tls) return this.errorResponse(ctx, 503);
    if (this.needsRedirectCheck && !ctx.internalProbe) {
      const redirect = redirectResponse(
        ctx.req,
        { tlsEnabled: options.tls_enabled, tlsRedirect: options.tls_redirect, canonicalHost: options.canonical_host },
        ctx.tls,
      );
      if (redirect) {
        ctx.status = 301;
        return redirect;
      }
    }
    if (this.pause.state !== PauseState.Running) {
      if (this.isHealthCheckRequest(ctx)) return new Response(null, { status: 200 });
      const outcome = await this.pause.wait();
      if (outcome === "stopped") return this.errorResponse(ctx, 503, this.pause.stopMessage);
      if (outcome === "timed-out") return this.errorResponse(ctx, 504);
    }
    return this.proxy(ctx);
  }

  private chooseLoadBalancer(cookies: string | null): LoadBalancer | null {
    if (this.rollout && this.rolloutController && cookies && this.rolloutController.matches(cookies)) return this.rollout;
    return this.active;
  }

  private async proxy(ctx: RequestContext): Promise<Response | undefined> {
    const { req } = ctx;
    const cookies = req.headers.get("cookie");
    const lb = this.chooseLoadBalancer(cookies);
    if (!lb) return this.errorResponse(ctx, 503);
    const websocket = isWebSocketUpgrade(req);
    const isRead = (req.method === "GET" || req.method === "HEAD") && (!websocket || this.options.read_targets_accept_websockets);
    const target = lb.claim(isRead, cookies);
    if (!target) return this.errorResponse(ctx, 503);
    ctx.target = target.name;
    if (websocket) {
      const failure = await proxyWebSocket(ctx, target, this.targetOptions);
      return failure === undefined ? undefined : this.errorResponse(ctx, failure);
    }
    const result = await target.proxy(ctx, this.targetOptions);
    if (typeof result === "number") return this.errorResponse(ctx, result);
    ctx.status = result.status;
    const affinityTimeout = this.options.writer_affinity_timeout;
    if (lb.hasReaders && affinityTimeout > 0 && !isRead) {
      if (result.headers.get("x-writer-affinity") !== "false") result.headers.append("set-cookie", writerAffinityCookie(affinityTimeout));
      result.headers.delete("x-writer-affinity");
    }
    if (this.targetOptions.scope_cookie_paths && ctx.matchedPrefix !== "") {
      scopeCookiePaths(result.headers, ctx.matchedPrefix, ctx.hostname);
    }
    return result;
  }
}


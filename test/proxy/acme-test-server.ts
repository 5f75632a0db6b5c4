// A small RFC 8555 ACME server for tests (no ACME test server such as pebble installs offline here). It checks
// what a real CA checks of a client: JWS signatures (jwk before the account exists, kid after), single-use nonces
// (and asks for a retry with badNonce once if told to), the HTTP-01 key authorization fetched over real HTTP from
// the client's responder, the CSR (openssl verifies it and its names) — and issues certificates signed by a test
// CA with openssl. Written independently of src/proxy/acme*.ts (its own thumbprint and JWS checks).
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

interface Order { status: string; domain: string; token: string; authzStatus: string; certificate?: string }

export interface AcmeTestServer {
  url: string;
  /** Requests per path, to see what the client asked. */
  requests: string[];
  stop(): void;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString("base64url");
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** `workDir` holds ca.key/ca.crt; `validationBase` is where http-01 challenges are fetched (stands in for http://<domain>). */
export function startAcmeTestServer(workDir: string, validationBase: string, options: { rejectFirstNonce?: boolean } = {}): AcmeTestServer {
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3",
    "-keyout", join(workDir, "ca.key"), "-out", join(workDir, "ca.crt"), "-subj", "/CN=ACME Test CA"], { stdio: "pipe" });
  const nonces = new Set<string>();
  const accounts = new Map<string, KeyObject>();
  const accountJwks = new Map<string, Record<string, string>>();
  const orders = new Map<string, Order>();
  const requests: string[] = [];
  let rejectNonce = options.rejectFirstNonce ?? false;
  let base = "";

  const newNonce = () => { const n = b64(randomBytes(16)); nonces.add(n); return n; };
  const problem = (type: string, detail: string, status = 400) =>
    json({ type: `urn:ietf:params:acme:error:${type}`, detail }, status, { "replay-nonce": newNonce() });

  async function readJws(req: Request): Promise<{ payload: any; account?: string; jwk?: Record<string, string> } | Response> {
    const body = (await req.json()) as { protected: string; payload: string; signature: string };
    const header = JSON.parse(Buffer.from(body.protected, "base64url").toString());
    if (header.alg !== "ES256") return problem("badSignatureAlgorithm", "ES256 only");
    if (header.url !== req.url) return problem("unauthorized", `url ${header.url} != ${req.url}`);
    if (!nonces.delete(header.nonce)) return problem("badNonce", "unknown nonce");
    if (rejectNonce) { rejectNonce = false; return problem("badNonce", "try again"); }
    if (header.jwk && header.kid) return problem("malformed", "both jwk and kid");
    const key = header.jwk ? createPublicKey({ key: header.jwk, format: "jwk" }) : accounts.get(header.kid);
    if (!key) return problem("accountDoesNotExist", "unknown kid");
    const ok = verify("sha256", Buffer.from(`${body.protected}.${body.payload}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(body.signature, "base64url"));
    if (!ok) return problem("unauthorized", "bad signature", 403);
    const payload = body.payload === "" ? undefined : JSON.parse(Buffer.from(body.payload, "base64url").toString());
    return { payload, account: header.kid, jwk: header.jwk };
  }

  function orderJson(id: string, order: Order) {
    return { status: order.status, identifiers: [{ type: "dns", value: order.domain }], authorizations: [`${base}/authz/${id}`],
      finalize: `${base}/finalize/${id}`, ...(order.certificate ? { certificate: `${base}/cert/${id}` } : {}) };
  }

  async function validate(order: Order, account: string): Promise<void> {
    const { crv, kty, x, y } = accountJwks.get(account)!;
    const thumbprint = b64(createHash("sha256").update(`{"crv":"${crv}","kty":"${kty}","x":"${x}","y":"${y}"}`).digest());
    const res = await fetch(`${validationBase}/.well-known/acme-challenge/${order.token}`).catch(() => undefined);
    order.authzStatus = res && res.ok && (await res.text()) === `${order.token}.${thumbprint}` ? "valid" : "invalid";
    if (order.authzStatus === "valid") order.status = "ready";
    else order.status = "invalid";
  }

  function issue(id: string, order: Order, csrB64: string): string | undefined {
    const csrPath = join(workDir, `csr-${id}.pem`);
    writeFileSync(csrPath, `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(csrB64, "base64url").toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`);
    const text = execFileSync("openssl", ["req", "-in", csrPath, "-noout", "-verify", "-text"], { encoding: "utf8", stdio: "pipe" });
    if (!text.includes(`DNS:${order.domain}`)) return undefined;
    execFileSync("openssl", ["x509", "-req", "-in", csrPath, "-CA", join(workDir, "ca.crt"), "-CAkey", join(workDir, "ca.key"),
      "-CAcreateserial", "-days", "90", "-copy_extensions", "copy", "-out", join(workDir, `cert-${id}.pem`)], { stdio: "pipe" });
    return join(workDir, `cert-${id}.pem`);
  }

  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req) {
      const path = new URL(req.url).pathname;
      requests.push(`${req.method} ${path}`);
      if (path === "/directory") return json({ newNonce: `${base}/nonce`, newAccount: `${base}/account`, newOrder: `${base}/order` });
      if (path === "/nonce") return new Response(null, { status: 200, headers: { "replay-nonce": newNonce(), "cache-control": "no-store" } });
      const jws = await readJws(req);
      if (jws instanceof Response) return jws;
      const nonce = { "replay-nonce": newNonce() };
      if (path === "/account") {
        if (!jws.jwk || jws.payload?.termsOfServiceAgreed !== true) return problem("malformed", "jwk and terms required");
        const url = `${base}/acct/${accounts.size + 1}`;
        accounts.set(url, createPublicKey({ key: jws.jwk, format: "jwk" }));
        accountJwks.set(url, jws.jwk);
        return json({ status: "valid" }, 201, { ...nonce, location: url });
      }
      if (!jws.account) return problem("malformed", "kid required");
      const [, kind, id] = path.split("/");
      if (kind === "order" && !id) {
        const id = String(orders.size + 1);
        const order: Order = { status: "pending", domain: jws.payload.identifiers[0].value, token: b64(randomBytes(12)), authzStatus: "pending" };
        orders.set(id, order);
        return json(orderJson(id, order), 201, { ...nonce, location: `${base}/order/${id}` });
      }
      const order = orders.get(id);
      if (!order) return problem("malformed", "no such object", 404);
      if (kind === "order") return json(orderJson(id, order), 200, nonce);
      if (kind === "authz") {
        return json({ status: order.authzStatus, identifier: { type: "dns", value: order.domain },
          challenges: [{ type: "http-01", url: `${base}/chall/${id}`, token: order.token, status: order.authzStatus }] }, 200, nonce);
      }
      if (kind === "chall") {
        await validate(order, jws.account);
        return json({ type: "http-01", status: order.authzStatus, token: order.token }, 200, nonce);
      }
      if (kind === "finalize") {
        if (order.status !== "ready") return problem("orderNotReady", order.status, 403);
        const certPath = issue(id, order, jws.payload.csr);
        if (!certPath) return problem("badCSR", "names do not match");
        order.certificate = certPath;
        order.status = "valid";
        return json(orderJson(id, order), 200, nonce);
      }
      if (kind === "cert" && order.certificate) {
        const chain = execFileSync("cat", [order.certificate, join(workDir, "ca.crt")], { encoding: "utf8" });
        return new Response(chain, { headers: { "content-type": "application/pem-certificate-chain", ...nonce } });
      }
      return problem("malformed", "unknown resource", 404);
    },
  });
  base = `http://127.0.0.1:${server.port}`;
  return { url: `${base}/directory`, requests, stop: () => server.stop(true) };
}

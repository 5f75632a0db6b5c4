// The cryptography an ACME client needs (RFC 8555 / RFC 7515 / RFC 7638 / RFC 2986), with node:crypto only:
// ES256 JWS over flattened JSON, the JWK thumbprint for key authorizations, and a PKCS#10 CSR written in DER.
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export const base64url = (data: Uint8Array | string): string => Buffer.from(data).toString("base64url");

/** A fresh ECDSA P-256 key (ACME account keys and certificate keys, as autocert uses by default). */
export function generateEcKey(): KeyObject {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
}

export interface EcJwk { crv: string; kty: string; x: string; y: string }

/** The public JWK of an EC key, members in RFC 7638's lexicographic order. */
export function publicJwk(key: KeyObject): EcJwk {
  const jwk = key.export({ format: "jwk" }) as { crv?: string; kty?: string; x?: string; y?: string };
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || !jwk.x || !jwk.y) throw new Error("ACME keys must be ECDSA P-256");
  return { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
}

/** RFC 7638 thumbprint (base64url SHA-256 of the canonical JWK). */
export function jwkThumbprint(key: KeyObject): string {
  const { crv, kty, x, y } = publicJwk(key);
  return base64url(createHash("sha256").update(JSON.stringify({ crv, kty, x, y })).digest());
}

/** HTTP-01 key authorization: `<token>.<thumbprint>`. */
export function keyAuthorization(token: string, accountKey: KeyObject): string {
  return `${token}.${jwkThumbprint(accountKey)}`;
}

export interface Jws { protected: string; payload: string; signature: string }

/**
 * A flattened JWS for an ACME POST. `payload` undefined = POST-as-GET (empty payload). Before the account exists
 * the header carries the `jwk`; afterwards the account URL as `kid`.
 */
export function signJws(key: KeyObject, url: string, nonce: string, payload: unknown, kid?: string): Jws {
  const header: Record<string, unknown> = { alg: "ES256", nonce, url };
  if (kid) header.kid = kid;
  else header.jwk = publicJwk(key);
  const protectedPart = base64url(JSON.stringify(header));
  const payloadPart = payload === undefined ? "" : base64url(JSON.stringify(payload));
  const signature = sign("sha256", Buffer.from(`${protectedPart}.${payloadPart}`), { key, dsaEncoding: "ieee-p1363" });
  return { protected: protectedPart, payload: payloadPart, signature: base64url(signature) };
}

// --- DER, just the types a CSR uses -------------------------------------------------------------------------
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

export function derOid(oid: string): Buffer {
  const parts = oid.split(".").map(Number);
  const bytes = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    for (let n = part; ; n = Math.floor(n / 128)) {
      chunk.unshift((n % 128) | (chunk.length ? 0x80 : 0));
      if (n < 128) break;
    }
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID_COMMON_NAME = "2.5.4.3";
const OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const OID_SUBJECT_ALT_NAME = "2.5.29.17";
const OID_ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

/** A PKCS#10 certificate request for `domains` (first = CN, all in subjectAltName), signed by `key`; DER bytes. */
export function createCsr(key: KeyObject, domains: string[]): Buffer {
  if (domains.length === 0) throw new Error("a CSR needs at least one domain");
  const subject = der(SEQUENCE, der(SET, der(SEQUENCE, derOid(OID_COMMON_NAME), der(0x0c, Buffer.from(domains[0], "utf8")))));
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const sanValue = der(SEQUENCE, ...domains.map((d) => der(0x82, Buffer.from(d, "ascii"))));
  const extensions = der(SEQUENCE, der(SEQUENCE, derOid(OID_SUBJECT_ALT_NAME), der(0x04, sanValue)));
  const attributes = der(0xa0, der(SEQUENCE, derOid(OID_EXTENSION_REQUEST), der(SET, extensions)));
  const info = der(SEQUENCE, der(0x02, Buffer.from([0])), subject, spki, attributes);
  const signature = sign("sha256", info, { key, dsaEncoding: "der" });
  return der(SEQUENCE, info, der(SEQUENCE, derOid(OID_ECDSA_WITH_SHA256)), der(0x03, Buffer.from([0]), signature));
}

export function toPem(label: string, derBytes: Buffer): string {
  const lines = derBytes.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

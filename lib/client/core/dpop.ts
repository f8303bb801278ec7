/** DPoP, client side (RFC 9449): the key a run keeps, its proofs (§4.2), `ath` (§7.1) and the servers' nonces (§8, §9). */
import { createHash, randomBytes } from "node:crypto";
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";

/** The client's DPoP key pair, kept on its server: the private half signs proofs, the public half rides in each proof's header. */
export type DpopKey = { privateJwk: JWK; publicJwk: JWK; thumbprint: string };

/** RFC 9449 §4.2 with ES256, the one algorithm this server lists in `dpop_signing_alg_values_supported`. */
export const DPOP_ALG = "ES256";

export async function newDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(DPOP_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  return { privateJwk: await exportJWK(privateKey), publicJwk, thumbprint: await calculateJwkThumbprint(publicJwk) };
}

/** RFC 9449 §4.2: `ath` is the base64url SHA-256 of the access token the proof goes with. */
export const accessTokenHash = (accessToken: string) => createHash("sha256").update(accessToken, "ascii").digest("base64url");

/**
 * RFC 9449 §4.2: a proof for one request: `htm` and `htu` name it (the URL without query or fragment),
 * `iat` and a fresh `jti` make it one-time, `ath` ties it to the access token sent with it, `nonce` is
 * the server's when it asked for one.
 */
export async function dpopProof(
  key: DpopKey,
  request: { method: string; url: string; accessToken?: string; nonce?: string },
  now: Date,
): Promise<string> {
  const htu = new URL(request.url);
  htu.search = "";
  htu.hash = "";
  return new SignJWT({
    htm: request.method,
    htu: htu.href,
    iat: Math.floor(now.getTime() / 1000),
    jti: randomBytes(16).toString("base64url"),
    ...(request.accessToken ? { ath: accessTokenHash(request.accessToken) } : {}),
    ...(request.nonce ? { nonce: request.nonce } : {}),
  })
    .setProtectedHeader({ alg: DPOP_ALG, typ: "dpop+jwt", jwk: key.publicJwk })
    .sign(await importJWK(key.privateJwk, DPOP_ALG));
}

/**
 * RFC 9449 §8 (the token endpoint: 400 `use_dpop_nonce`) and §9 (a resource server: 401 with
 * `WWW-Authenticate: DPoP error="use_dpop_nonce"`): the nonce a server asks the next proof to carry.
 */
export function nonceAskedFor(status: number, body: unknown, headers: Headers): string | undefined {
  const nonce = headers.get("dpop-nonce") ?? undefined;
  if (!nonce) return undefined;
  const bodyError = body && typeof body === "object" ? (body as Record<string, unknown>).error : undefined;
  const challenge = headers.get("www-authenticate") ?? "";
  if (status === 400 && bodyError === "use_dpop_nonce") return nonce;
  if (status === 401 && /^DPoP\b/i.test(challenge) && /error="use_dpop_nonce"/.test(challenge)) return nonce;
  return undefined;
}

/** A proof as the page shows it: its header and claims, decoded (the signature is not shown). */
export type DecodedProof = { header: Record<string, unknown>; payload: Record<string, unknown> };

export function decodeProof(proof: string): DecodedProof | undefined {
  try {
    return { header: decodeProtectedHeader(proof) as Record<string, unknown>, payload: decodeJwt(proof) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** What a try of a DPoP request needs to be read for the server's nonce. */
type NonceAnswer = { status: number; body: unknown; headers: Headers };

/**
 * RFC 9449 §8, §9: a request with a fresh proof of `key`, carrying the nonce its server (by origin) last
 * asked for; asked for a nonce, it is sent once more with it. `nonces` keeps the newest one. `send`
 * sends one try with its proof (`retry` for the second).
 */
export async function sendWithDpop<T extends NonceAnswer>(
  key: DpopKey,
  nonces: Record<string, string>,
  request: { method: string; url: string; accessToken?: string },
  now: () => Date,
  send: (proof: string, retry: boolean) => Promise<T>,
): Promise<T> {
  const origin = new URL(request.url).origin;
  const attempt = async (retry: boolean) => send(await dpopProof(key, { ...request, nonce: nonces[origin] }, now()), retry);
  let answer = await attempt(false);
  const asked = nonceAskedFor(answer.status, answer.body, answer.headers);
  if (asked) {
    nonces[origin] = asked;
    answer = await attempt(true);
  }
  const next = answer.headers.get("dpop-nonce");
  if (next) nonces[origin] = next;
  return answer;
}

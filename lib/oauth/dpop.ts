import { createHmac } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, errors, jwtVerify, type JWK, type JWTPayload } from "jose";
import { constantTimeEqual, hashToken } from "../crypto";
import { DPOP_ALGORITHMS } from "./access-token-jwt";
import { epochSeconds } from "./context";
import { OAuthError } from "./errors";

/**
 * RFC 9449: DPoP, the proof of possession both servers check (the token endpoint, §5; a protected
 * resource, §7), and the servers' nonces (§8, §9). Shared (lib/oauth/): the checks of §4.3 in order,
 * with jose; the database's part (the proofs seen, the nonce key) comes in as `DpopServices`.
 */

/** RFC 9449 §4.2: the `typ` of a proof. */
export const DPOP_PROOF_TYP = "dpop+jwt";

/** RFC 9449 §4.3 (11), §11.1: how far a proof's `iat` may be from the server's clock, either way. */
export const DPOP_IAT_WINDOW_SECONDS = 60;

/** RFC 9449 §8: how long one server nonce is issued; a nonce is accepted in its period and the next (and the one before, for instances' clocks a little apart). */
export const DPOP_NONCE_PERIOD_SECONDS = 300;

/** RFC 9449 §11.1: a `jti` longer than this is refused (it is only a unique id). */
const MAX_JTI_LENGTH = 256;

/** A proof's JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4): a proof carries the public key only. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/** What a server needs beyond the request to check a proof: the nonce key and the memory of proofs seen. */
export type DpopServices = {
  /** The key of the server's nonces (lib/dpop-services.ts), or null when no nonce is asked for (DPOP_NONCE=off). */
  nonceKey: (() => Promise<Uint8Array>) | null;
  /** Remembers a proof by id until `expiresAt`; false when it was seen before (a replay). */
  remember: (id: string, expiresAt: Date) => Promise<boolean>;
};

/** A proof that passed every check: the thumbprint of its key (RFC 7638), to which tokens are bound. */
export type DpopProof = { jkt: string; jti: string };

/** The request a proof is checked against. */
export type DpopRequest = {
  headers: Headers;
  method: string;
  /** The endpoint's URL from the configured issuer (never the Host header), without query or fragment. */
  url: string;
  /** RFC 9449 §7.1: the access token presented with the proof, whose hash `ath` must carry. */
  accessToken?: string;
};

const invalidProof = (description: string) => new OAuthError("invalid_dpop_proof", description);

/** RFC 9449 §4.3 (1): the one DPoP header of a request; undefined without one, refused when repeated. */
export function dpopHeader(headers: Headers): string | undefined {
  const value = headers.get("dpop");
  if (value === null) return undefined;
  // Headers joins repeated fields with ", "; a compact JWS has neither a comma nor a space.
  if (value.includes(",")) throw invalidProof("Send exactly one DPoP header.");
  return value.trim();
}

/**
 * RFC 9449 §4.3: checks the request's DPoP proof, in the section's order: one well-formed JWT, typ
 * `dpop+jwt`, alg ES256, a public key only, the signature by that key, htm and htu, the server's nonce
 * (use_dpop_nonce with a fresh one when missing or stale), iat within DPOP_IAT_WINDOW_SECONDS, ath,
 * then jti never seen before (§11.1). Returns the key's thumbprint, or undefined without a DPoP header.
 */
export async function verifyDpopProof(request: DpopRequest, services: DpopServices, now: Date): Promise<DpopProof | undefined> {
  const proof = dpopHeader(request.headers);
  if (proof === undefined) return undefined;

  let header;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw invalidProof("The DPoP proof is not a JWT.");
  }
  if (header.typ !== DPOP_PROOF_TYP) throw invalidProof(`The DPoP proof's typ must be ${DPOP_PROOF_TYP}.`);
  if (!header.alg || !DPOP_ALGORITHMS.includes(header.alg))
    throw invalidProof(`The DPoP proof's alg must be ${DPOP_ALGORITHMS.join(" or ")}.`);
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== "object") throw invalidProof("The DPoP proof's header must carry its public key (jwk).");
  if (PRIVATE_MEMBERS.some((m) => Object.hasOwn(jwk, m)))
    throw invalidProof("The DPoP proof's jwk must be a public key, without private members.");

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
      typ: DPOP_PROOF_TYP,
      algorithms: DPOP_ALGORITHMS,
      currentDate: now,
      requiredClaims: ["jti", "htm", "htu", "iat"],
    }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed)
      throw invalidProof("The DPoP proof's signature does not verify with its jwk.");
    if (error instanceof errors.JWTClaimValidationFailed) throw invalidProof(`The DPoP proof lacks a valid ${error.claim} claim.`);
    throw invalidProof("The DPoP proof is not a valid signed JWT with an embedded public key.");
  }

  if (payload.htm !== request.method) throw invalidProof(`The DPoP proof's htm must be ${request.method}.`);
  if (typeof payload.htu !== "string" || !sameTarget(payload.htu, request.url))
    throw invalidProof(`The DPoP proof's htu must be ${request.url}.`);

  if (services.nonceKey) {
    const key = await services.nonceKey();
    if (typeof payload.nonce !== "string" || !isCurrentNonce(key, payload.nonce, now)) {
      throw new OAuthError(
        "use_dpop_nonce",
        payload.nonce === undefined ? "A DPoP proof must carry the server's nonce." : "The DPoP proof's nonce is stale; use the new one.",
        { headers: { "DPoP-Nonce": dpopNonce(key, now) } },
      );
    }
  }

  const iat = payload.iat!;
  if (Math.abs(iat - epochSeconds(now)) > DPOP_IAT_WINDOW_SECONDS)
    throw invalidProof(`The DPoP proof's iat is more than ${DPOP_IAT_WINDOW_SECONDS} seconds from the server's clock.`);

  if (request.accessToken !== undefined && payload.ath !== hashToken(request.accessToken))
    throw invalidProof("The DPoP proof's ath is not the hash of the access token presented.");

  const jti = payload.jti;
  if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_LENGTH)
    throw invalidProof(`The DPoP proof's jti must be a string of 1 to ${MAX_JTI_LENGTH} characters.`);
  const jkt = await calculateJwkThumbprint(jwk, "sha256");
  // Remembered until no clock could accept its iat again (the purge keeps it a little longer still).
  const seenUntil = new Date((iat + DPOP_IAT_WINDOW_SECONDS) * 1000);
  if (!(await services.remember(hashToken(`${jkt}\n${jti}`), seenUntil))) throw invalidProof("This DPoP proof was used before (jti).");
  return { jkt, jti };
}

/** RFC 9449 §7.1: a token bound to a key (`cnf.jkt`) is never taken as a bearer token, wherever a token is taken. */
export function refuseBoundAsBearer(boundTo: string | undefined): void {
  if (boundTo)
    throw new OAuthError("invalid_token", "This access token is DPoP-bound: present it as DPoP <token>, with a proof of its key.");
}

/**
 * RFC 9449 §7.1 and §7.2: an access token at a protected resource (the API, UserInfo). A token bound
 * to a key (`cnf.jkt`) is accepted only as `DPoP <token>` with a proof of that key whose `ath` is its
 * hash; an unbound token only as `Bearer` (a DPoP header beside it is ignored). Refusals are 401, the
 * status of a protected resource's errors.
 */
export async function checkTokenPresentation(
  presented: { scheme: "Bearer" | "DPoP"; token: string },
  boundTo: string | undefined,
  request: Omit<DpopRequest, "accessToken">,
  services: DpopServices,
  now: Date,
): Promise<DpopProof | undefined> {
  try {
    if (presented.scheme === "Bearer") {
      refuseBoundAsBearer(boundTo);
      return undefined;
    }
    if (!boundTo) throw new OAuthError("invalid_token", "This access token is not DPoP-bound: present it as Bearer <token>.");
    const proof = await verifyDpopProof({ ...request, accessToken: presented.token }, services, now);
    if (!proof) throw invalidProof("A DPoP-bound access token needs a DPoP proof of its key.");
    if (proof.jkt !== boundTo) throw invalidProof("The DPoP proof's key is not the one the access token is bound to (cnf.jkt).");
    return proof;
  } catch (error) {
    if (error instanceof OAuthError && error.status === 400)
      throw new OAuthError(error.code, error.description, { status: 401, headers: error.headers });
    throw error;
  }
}

/** RFC 9449 §4.3 (9): htu names the request's URI, ignoring its query and fragment (scheme, host and port compared as URLs). */
function sameTarget(htu: string, url: string): boolean {
  try {
    const a = new URL(htu);
    const b = new URL(url);
    return a.origin === b.origin && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

const periodOf = (now: Date) => Math.floor(epochSeconds(now) / DPOP_NONCE_PERIOD_SECONDS);

/**
 * RFC 9449 §8, §9: the server's nonce for now, an HMAC of the current period: every instance that shares
 * the key computes the same nonce, with no write per request. It changes every DPOP_NONCE_PERIOD_SECONDS.
 */
export function dpopNonce(key: Uint8Array, now: Date, shift = 0): string {
  return createHmac("sha256", key)
    .update(`DPoP-Nonce ${periodOf(now) + shift}`)
    .digest("base64url");
}

/** A nonce of this period, the previous one (issued just before the turn) or the next (an instance whose clock runs ahead). */
export function isCurrentNonce(key: Uint8Array, nonce: string, now: Date): boolean {
  return [0, -1, 1].some((shift) => constantTimeEqual(nonce, dpopNonce(key, now, shift)));
}

/** The `DPoP-Nonce` header a response carries when nonces are on: a client keeps the newest one (RFC 9449 §8.2). */
export async function nonceHeader(services: DpopServices, now: Date): Promise<Record<string, string>> {
  return services.nonceKey ? { "DPoP-Nonce": dpopNonce(await services.nonceKey(), now) } : {};
}

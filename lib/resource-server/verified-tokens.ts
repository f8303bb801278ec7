import type { JWTVerifyGetKey } from "jose";
import type { AccessTokenClaims } from "./context";

/**
 * Access tokens whose signature and claims this process has verified (RFC 9068 §4), so that a token
 * presented again costs no signature check: a bounded LRU keyed by the token string (with the issuer
 * and audience it was checked against), one per key source. An entry serves only while its `exp` is
 * ahead and its `kid` is still published by the key source; after that the token is verified in full
 * again (and refused, or accepted within the clock skew, exactly as on first sight). Revocation and scope
 * are not cached: they are checked on every request.
 */
type Entry = { claims: AccessTokenClaims; kid: string; expMs: number };

export const MAX_VERIFIED_TOKENS = 10_000;

const caches = new WeakMap<JWTVerifyGetKey, Map<string, Entry>>();
let hits = 0;

/** How many verifications the cache has saved in this process (the unit tests read it). */
export const verifiedTokenHits = () => hits;

const cacheKey = (token: string, issuer: string, audience: string) => `${issuer}\n${audience}\n${token}`;

/** The cached claims of a token verified before, or undefined: expired entries and unpublished keys miss. */
export async function cachedClaims(
  keys: JWTVerifyGetKey,
  token: string,
  issuer: string,
  audience: string,
  now: Date,
): Promise<AccessTokenClaims | undefined> {
  const cache = caches.get(keys);
  const key = cacheKey(token, issuer, audience);
  const entry = cache?.get(key);
  if (!cache || !entry) return undefined;
  // The entry stays in place while the key is looked up: the other requests with this token meanwhile
  // (an app's parallel API calls) are answered from it too.
  const forget = () => cache.get(key) === entry && cache.delete(key);
  if (entry.expMs <= now.getTime()) {
    forget();
    return undefined;
  }
  try {
    // The key source answers from its cached JWKS, and refetches it as it would for any token.
    await keys({ alg: "ES256", kid: entry.kid }, { payload: "", signature: "", protected: "" });
  } catch {
    forget();
    return undefined;
  }
  // The most recently used goes last (the LRU order below).
  if (forget()) cache.set(key, entry);
  hits++;
  return entry.claims;
}

/** Remembers a token that passed every check of verifyAccessToken, until its exp. */
export function rememberClaims(
  keys: JWTVerifyGetKey,
  token: string,
  issuer: string,
  audience: string,
  kid: string,
  claims: AccessTokenClaims,
) {
  if (typeof claims.exp !== "number") return;
  let cache = caches.get(keys);
  if (!cache) caches.set(keys, (cache = new Map()));
  // Frozen: one object serves every request with this token.
  cache.set(cacheKey(token, issuer, audience), { claims: Object.freeze(claims), kid, expMs: claims.exp * 1000 });
  // Map iteration is insertion order, and a hit re-inserts: the first key is the least recently used.
  if (cache.size > MAX_VERIFIED_TOKENS) cache.delete(cache.keys().next().value!);
}

import { createRemoteJWKSet, customFetch, errors, type FlattenedJWSInput, type JWTHeaderParameters, type JWTVerifyGetKey } from "jose";
import { AuthorizationServerUnavailable } from "./errors";

/** RFC 8414 §2: the members of the authorization server's metadata that the API uses. */
export type AuthorizationServerMetadata = { issuer: string; jwks_uri: string; introspection_endpoint?: string };

export type Fetch = typeof fetch;

/** RFC 7517 §5 and RFC 8414 §3: how the API keeps the authorization server's keys. */
export const JWKS_OPTIONS = {
  /** An unknown kid refetches the JWKS at most once a minute (a rotated-in key is found; a flood of bad kids is not amplified). */
  cooldownDuration: 60_000,
  /** The JWKS is refetched after five minutes anyway, as the server's Cache-Control allows. */
  cacheMaxAge: 300_000,
  timeoutDuration: 5_000,
} as const;

/**
 * One cache per process, on globalThis: each route's server bundle may hold its own copy of this
 * module, and the metadata and keys must still be fetched once.
 */
type Cache = { metadata: Map<string, Promise<AuthorizationServerMetadata>>; keys: Map<string, JWTVerifyGetKey> };
const globalCache = globalThis as unknown as { authcodeLabResourceServer?: Cache };
const cache = (globalCache.authcodeLabResourceServer ??= { metadata: new Map(), keys: new Map() });

/**
 * RFC 8414 §3: the issuer's metadata, fetched once per process and cached (a failure is not cached, so
 * the next request tries again). The issuer in the document must equal the one configured (§3.3).
 */
export function discover(issuer: string, fetchImpl: Fetch = fetch): Promise<AuthorizationServerMetadata> {
  let pending = cache.metadata.get(issuer);
  if (!pending) {
    pending = fetchMetadata(issuer, fetchImpl);
    cache.metadata.set(issuer, pending);
    pending.catch(() => {
      if (cache.metadata.get(issuer) === pending) cache.metadata.delete(issuer);
    });
  }
  return pending;
}

async function fetchMetadata(issuer: string, fetchImpl: Fetch): Promise<AuthorizationServerMetadata> {
  let body: Partial<AuthorizationServerMetadata>;
  try {
    // The app serves its metadata below the issuer URL (RFC 8414 §3.1's insertion gives the same URL for a path-less issuer).
    const response = await fetchImpl(`${issuer}/.well-known/oauth-authorization-server`, {
      headers: { Accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(JWKS_OPTIONS.timeoutDuration),
    });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    body = (await response.json()) as Partial<AuthorizationServerMetadata>;
  } catch (cause) {
    throw new AuthorizationServerUnavailable("metadata", { cause });
  }
  if (body.issuer !== issuer) throw new AuthorizationServerUnavailable("metadata (its issuer does not match RFC 8414 §3.3)");
  if (typeof body.jwks_uri !== "string") throw new AuthorizationServerUnavailable("metadata (it has no jwks_uri)");
  return { issuer: body.issuer, jwks_uri: body.jwks_uri, introspection_endpoint: body.introspection_endpoint };
}

/** jose errors that are the token's fault (its kid or alg), as opposed to the JWKS being unreachable. */
const TOKEN_KEY_ERRORS = new Set([errors.JWKSNoMatchingKey.code, errors.JWKSMultipleMatchingKeys.code, errors.JOSENotSupported.code]);

/**
 * The issuer's public keys as a jose key resolver: the JWKS at the metadata's jwks_uri, through one
 * createRemoteJWKSet per process, which imports each key once and refetches on an unknown kid at most
 * once per cooldown. A request costs no fetch and no key import once the keys are cached.
 */
export function authorizationServerKeys(issuer: string, fetchImpl?: Fetch): JWTVerifyGetKey {
  let resolver = cache.keys.get(issuer);
  if (!resolver) {
    let remote: Promise<JWTVerifyGetKey> | undefined;
    const jwks = () =>
      (remote ??= discover(issuer, fetchImpl)
        .then((metadata) =>
          createRemoteJWKSet(new URL(metadata.jwks_uri), { ...JWKS_OPTIONS, ...(fetchImpl ? { [customFetch]: fetchImpl } : {}) }),
        )
        .catch((error) => {
          remote = undefined;
          throw error;
        }));
    resolver = async (header: JWTHeaderParameters, token: FlattenedJWSInput) => {
      const keySet = await jwks();
      try {
        return await keySet(header, token);
      } catch (error) {
        if (error instanceof errors.JOSEError && TOKEN_KEY_ERRORS.has(error.code)) throw error;
        throw new AuthorizationServerUnavailable("JWKS", { cause: error });
      }
    };
    cache.keys.set(issuer, resolver);
  }
  return resolver;
}

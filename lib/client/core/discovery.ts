/** The authorization server's metadata, client side: OpenID Connect Discovery 1.0 §4 (RFC 8414 §3). */
import { z } from "zod";
import type { Fetch } from "./recorded-fetch";

const endpoint = z.url({ protocol: /^https?$/ });

/** OpenID Connect Discovery 1.0 §3 (RFC 8414 §2): the members this app's clients use. */
const metadataSchema = z.object({
  issuer: z.string(),
  authorization_endpoint: endpoint,
  token_endpoint: endpoint,
  jwks_uri: endpoint,
  revocation_endpoint: endpoint.optional(),
  introspection_endpoint: endpoint.optional(),
  pushed_authorization_request_endpoint: endpoint.optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  dpop_signing_alg_values_supported: z.array(z.string()).optional(),
  scopes_supported: z.array(z.string()).optional(),
  authorization_response_iss_parameter_supported: z.boolean().optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

export type ServerMetadata = z.infer<typeof metadataSchema>;

export class DiscoveryError extends Error {
  override name = "DiscoveryError";
}

/** How long the metadata is kept in memory; a failure is not kept, so the next request tries again. */
export const DISCOVERY_TTL_MS = 10 * 60_000;

type Entry = { fetchedAt: number; metadata: Promise<ServerMetadata> };
const globalCache = globalThis as unknown as { authcodeLabWalkthroughDiscovery?: Map<string, Entry> };
const cache = (globalCache.authcodeLabWalkthroughDiscovery ??= new Map());

/**
 * The authorization server's metadata, from `/.well-known/openid-configuration` below the issuer,
 * cached in memory: every endpoint the walkthrough calls comes from here, so the client works against
 * an authorization server on another origin.
 * @see OpenID Connect Discovery 1.0 §4 (the issuer in the document must equal the one configured, §4.3)
 */
export function discover(issuer: string, fetchImpl: Fetch = fetch, now = Date.now()): Promise<ServerMetadata> {
  const cached = cache.get(issuer);
  if (cached && now - cached.fetchedAt < DISCOVERY_TTL_MS) return cached.metadata;
  const metadata = fetchMetadata(issuer, fetchImpl);
  const entry = { fetchedAt: now, metadata };
  cache.set(issuer, entry);
  metadata.catch(() => {
    if (cache.get(issuer) === entry) cache.delete(issuer);
  });
  return metadata;
}

/** The well-known URL of an issuer (OpenID Connect Discovery 1.0 §4.1). */
export const discoveryUrl = (issuer: string) => `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;

async function fetchMetadata(issuer: string, fetchImpl: Fetch): Promise<ServerMetadata> {
  let body: unknown;
  try {
    const response = await fetchImpl(discoveryUrl(issuer), {
      headers: { Accept: "application/json" },
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200) throw new Error(`it answered ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new DiscoveryError(
      `The authorization server's metadata at ${discoveryUrl(issuer)} could not be read: ${error instanceof Error ? error.message : error}`,
    );
  }
  const parsed = metadataSchema.safeParse(body);
  if (!parsed.success)
    throw new DiscoveryError(
      `The metadata at ${discoveryUrl(issuer)} is incomplete: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}.`,
    );
  if (parsed.data.issuer !== issuer) {
    throw new DiscoveryError(
      `The metadata names the issuer ${parsed.data.issuer}, not ${issuer} (OpenID Connect Discovery §4.3): refused.`,
    );
  }
  return parsed.data;
}

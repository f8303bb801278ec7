import type { PrismaClient } from "../generated/prisma/client";
import { clientById } from "../records/client";
import type { TokenEndpointAuthMethod } from "../oauth/vocabulary";
import { parsePolicy, type ClientPolicy } from "./client-policy";

/** A registered client (RFC 6749 §2), as the protocol code sees it. */
export type Client = {
  id: string;
  name: string;
  secretHash: string | null;
  authMethod: TokenEndpointAuthMethod;
  redirectUris: readonly string[];
  allowedScopes: readonly string[];
  /** RFC 6749 §2.1: a public client cannot keep a secret. */
  isPublic: boolean;
  /** Registered through RFC 7591 by anyone, not seeded: its redirect URIs are not vouched for (RFC 9700 §4.11.2). */
  selfRegistered: boolean;
  /** RFC 9126 §6: its authorization requests must be pushed (`require_pushed_authorization_requests`). */
  requirePar: boolean;
  /** The checks this client is held to (all of them but for the lab's weakened client; read through policyOf). */
  policy: ClientPolicy;
  /** RFC 9449 §5.2 `dpop_bound_access_tokens`: every token request must carry a DPoP proof. */
  dpopBound: boolean;
};

/**
 * How long a client's registration is served from memory. Clients are read on every authorization and
 * token request and change rarely (registration adds new ones, which are never cached as missing); with
 * several instances, a change made on another instance (a reseeded secret, say) is seen within this time.
 */
export const CLIENT_CACHE_MS = 30_000;
const CLIENT_CACHE_MAX = 1_000;

type Cached = { client: Client; until: number };
const caches = new WeakMap<PrismaClient, Map<string, Cached>>();

/** Forgets this process's cached clients (after a reset of the data). */
export function forgetCachedClients(db: PrismaClient) {
  caches.delete(db);
}

/** A registered client by id, from a short-lived in-memory cache of this process. */
export async function findClient(db: PrismaClient, id: string): Promise<Client | null> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(id);
  const now = Date.now();
  if (hit && hit.until > now) return hit.client;

  const row = await clientById(db, id);
  if (!row) {
    cache.delete(id);
    return null;
  }
  // Shared by every request that reads it until it expires: frozen.
  const client: Client = Object.freeze({
    id: row.id,
    name: row.name,
    secretHash: row.secretHash,
    authMethod: row.tokenEndpointAuthMethod as TokenEndpointAuthMethod,
    redirectUris: Object.freeze(JSON.parse(row.redirectUris) as string[]),
    allowedScopes: Object.freeze(row.allowedScopes.split(" ").filter(Boolean)),
    isPublic: row.tokenEndpointAuthMethod === "none",
    selfRegistered: row.selfRegistered,
    requirePar: row.requirePar,
    policy: parsePolicy(row.policy),
    dpopBound: row.dpopBound,
  });
  // Bounded: the oldest entry makes room (a Map iterates in insertion order).
  if (cache.size >= CLIENT_CACHE_MAX && !cache.has(id)) cache.delete(cache.keys().next().value!);
  cache.set(id, { client, until: now + CLIENT_CACHE_MS });
  return client;
}

import type { PrismaClient, SigningKey } from "../generated/prisma/client";

/** The authorization server's signing keys (SigningKey): each signs from `activatesAt`, and stays published until `expiresAt`. */

export async function insertSigningKey(
  db: PrismaClient,
  data: Pick<SigningKey, "kid" | "alg" | "publicJwk" | "privateJwk" | "activatesAt">,
) {
  await db.signingKey.create({ data });
}

/** Retires every signing key at `retiredAt`; each stays published until `expiresAt`. */
export async function retireSigningKeys(db: PrismaClient, retiredAt: Date, expiresAt: Date): Promise<void> {
  await db.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt, expiresAt } });
}

/** The keys still published at `now`, the newest first. */
export function publishedSigningKeys(db: PrismaClient, now: Date): Promise<SigningKey[]> {
  return db.signingKey.findMany({ where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, orderBy: { activatesAt: "desc" } });
}

/** How many keys sign at `now`. */
export function countSigningKeys(db: PrismaClient, now: Date): Promise<number> {
  return db.signingKey.count({ where: { activatesAt: { lte: now }, OR: [{ retiredAt: null }, { retiredAt: { gt: now } }] } });
}

/**
 * The private JWK of the oldest key still published at `now`, or null before the first key: the shared
 * secret from which the servers derive their DPoP nonce key (lib/dpop-nonce-key.ts). It stays the same
 * across a rotation until the old key leaves the JWKS.
 */
export async function oldestPublishedPrivateJwk(db: PrismaClient, now: Date): Promise<string | null> {
  const row = await db.signingKey.findFirst({
    where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: [{ createdAt: "asc" }, { kid: "asc" }],
    select: { privateJwk: true },
  });
  return row?.privateJwk ?? null;
}

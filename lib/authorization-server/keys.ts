import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { randomToken } from "../crypto";
import type { PrismaClient } from "../generated/prisma/client";

/** The one signing algorithm of this server (RFC 7518 §3.4, P-256). */
export const SIGNING_ALG = "ES256";

export type KeySet = {
  signing: { kid: string; key: CryptoKey };
  /** Public keys by kid, for verifying our own tokens. */
  verifying: ReadonlyMap<string, CryptoKey>;
  /** The JWKS document (RFC 7517 §5): public members only. */
  jwks: { keys: JWK[] };
  loadedAt: number;
};

const RELOAD_MS = 60_000;
let cache: Promise<KeySet> | undefined;

/** Creates a new signing key and stores it. */
export async function createSigningKey(db: PrismaClient): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomToken(12);
  const pub = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
  const priv = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: "sig" };
  await db.signingKey.create({ data: { kid, alg: SIGNING_ALG, publicJwk: JSON.stringify(pub), privateJwk: JSON.stringify(priv) } });
  return kid;
}

/**
 * Rotation: new tokens are signed with a new key at once; the old key stops signing and stays in the
 * JWKS until `publishFor` seconds have passed, so the tokens it signed still verify until they expire.
 */
export async function rotateSigningKey(db: PrismaClient, publishFor: number, now = new Date()): Promise<string> {
  const expiresAt = new Date(now.getTime() + publishFor * 1000);
  await db.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now, expiresAt } });
  const kid = await createSigningKey(db);
  cache = undefined;
  return kid;
}

async function load(db: PrismaClient, now: Date): Promise<KeySet> {
  const rows = await db.signingKey.findMany({
    where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: "desc" },
  });
  if (!rows.some((r) => r.retiredAt === null)) {
    // First start: generate and persist a key. Several instances racing here each add one; the
    // newest signs, and all are published.
    await createSigningKey(db);
    return load(db, now);
  }
  const active = rows.find((r) => r.retiredAt === null)!;
  const verifying = new Map<string, CryptoKey>();
  const keys: JWK[] = [];
  for (const row of rows) {
    const jwk = JSON.parse(row.publicJwk) as JWK;
    keys.push(jwk);
    verifying.set(row.kid, (await importJWK(jwk, row.alg)) as CryptoKey);
  }
  const signingKey = (await importJWK(JSON.parse(active.privateJwk) as JWK, active.alg)) as CryptoKey;
  return { signing: { kid: active.kid, key: signingKey }, verifying, jwks: { keys }, loadedAt: Date.now() };
}

/**
 * The key set, imported once and cached in memory; reloaded every minute so that a rotation made by
 * another process or instance is seen, and on demand (`refresh`) when a token names an unknown kid.
 */
export async function getKeys(db: PrismaClient, options: { refresh?: boolean } = {}): Promise<KeySet> {
  const current = cache && (await cache.catch(() => undefined));
  const stale = !current || Date.now() - current.loadedAt > RELOAD_MS;
  const mayRefresh = options.refresh && current && Date.now() - current.loadedAt > 5_000;
  if (stale || mayRefresh) {
    const next = load(db, new Date());
    cache = next;
    next.catch(() => { if (cache === next) cache = undefined; });
    return next;
  }
  return current;
}

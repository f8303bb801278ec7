import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { randomToken } from "../crypto";
import type { PrismaClient } from "../generated/prisma/client";
import { ACCESS_TOKEN_ALGORITHMS } from "../oauth/access-token-jwt";
import { insertSigningKey, publishedSigningKeys, retireSigningKeys } from "../records/signing-key";

/** The one signing algorithm of this server (RFC 7518 §3.4, P-256): the one the access-token profile accepts. */
export const SIGNING_ALG = ACCESS_TOKEN_ALGORITHMS[0];

export type KeySet = {
  /** The signing key, as a WebCrypto key and as the node:crypto key that signs the tokens (jws.ts). */
  signing: { kid: string; key: CryptoKey; keyObject: KeyObject };
  /** Public keys by kid, for verifying our own tokens. */
  verifying: ReadonlyMap<string, CryptoKey>;
  /** The JWKS document (RFC 7517 §5): public members only. */
  jwks: { keys: JWK[] };
  loadedAt: number;
  /** The cached set is used until then (epoch ms). */
  validUntil: number;
};

const RELOAD_MS = 60_000;
let cache: Promise<KeySet> | undefined;

/** Creates a new signing key and stores it; it signs from `activatesAt` on. */
export async function createSigningKey(db: PrismaClient, activatesAt = new Date()): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = randomToken(12);
  const pub = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
  const priv = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: "sig" };
  await insertSigningKey(db, { kid, alg: SIGNING_ALG, publicJwk: JSON.stringify(pub), privateJwk: JSON.stringify(priv), activatesAt });
  return kid;
}

/**
 * How long a new key is published before it signs: longer than a resource server's JWKS refetch
 * cooldown (60 s) and our own reload interval, so no verifier meets its kid before it could know it.
 */
export const PUBLISH_AHEAD_SECONDS = 120;

/**
 * Rotation (RFC 7517 §5 leaves it to the server; the usual practice): the new key is published at
 * once and signs from `now + ahead`; the old key signs until then and stays in the JWKS `publishFor`
 * seconds more, so every token it signed still verifies until it expires.
 */
export async function rotateSigningKey(
  db: PrismaClient,
  publishFor: number,
  now = new Date(),
  ahead = PUBLISH_AHEAD_SECONDS,
): Promise<{ kid: string; activatesAt: Date }> {
  const activatesAt = new Date(now.getTime() + ahead * 1000);
  const expiresAt = new Date(activatesAt.getTime() + publishFor * 1000);
  await retireSigningKeys(db, activatesAt, expiresAt);
  const kid = await createSigningKey(db, activatesAt);
  cache = undefined;
  return { kid, activatesAt };
}

async function load(db: PrismaClient, now: Date): Promise<KeySet> {
  const rows = await publishedSigningKeys(db, now);
  const signs = (r: (typeof rows)[number]) => r.activatesAt <= now && (r.retiredAt === null || r.retiredAt > now);
  const active = rows.find(signs);
  if (!active) {
    // First start: generate and persist a key. Several instances racing here each add one; the
    // newest signs, and all are published.
    await createSigningKey(db, now);
    return load(db, now);
  }
  const verifying = new Map<string, CryptoKey>();
  const keys: JWK[] = [];
  for (const row of rows) {
    const jwk = JSON.parse(row.publicJwk) as JWK;
    keys.push(jwk);
    verifying.set(row.kid, (await importJWK(jwk, row.alg)) as CryptoKey);
  }
  const privateJwk = JSON.parse(active.privateJwk) as JWK;
  const signingKey = (await importJWK(privateJwk, active.alg)) as CryptoKey;
  const keyObject = createPrivateKey({ key: privateJwk as JsonWebKey, format: "jwk" });
  // Reload within a minute, and at the next activation or retirement, whichever comes first.
  const changes = rows
    .flatMap((r) => [r.activatesAt, r.retiredAt])
    .filter((d): d is Date => !!d && d > now)
    .map((d) => d.getTime());
  const validUntil = Math.min(now.getTime() + RELOAD_MS, ...changes);
  return { signing: { kid: active.kid, key: signingKey, keyObject }, verifying, jwks: { keys }, loadedAt: now.getTime(), validUntil };
}

/**
 * The key set, imported once and cached in memory; reloaded every minute (so that a rotation made by
 * another process or instance is seen), at the instant a rotated-in key starts signing, and on demand
 * (`refresh`, at most every 5 s) when a token names an unknown kid. `now` is an argument for tests.
 */
export async function getKeys(db: PrismaClient, options: { refresh?: boolean; now?: Date } = {}): Promise<KeySet> {
  const now = options.now ?? new Date();
  const current = cache && (await cache.catch(() => undefined));
  const stale = !current || now.getTime() >= current.validUntil || now.getTime() < current.loadedAt;
  const mayRefresh = options.refresh && current && now.getTime() - current.loadedAt > 5_000;
  if (stale || mayRefresh) {
    const next = load(db, now);
    cache = next;
    next.catch(() => {
      if (cache === next) cache = undefined;
    });
    return next;
  }
  return current;
}

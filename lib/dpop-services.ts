import { hkdfSync, randomBytes } from "node:crypto";
import type { Config } from "./config";
import type { PrismaClient } from "./generated/prisma/client";
import type { DpopServices } from "./oauth/dpop";
import { rememberDpopProof } from "./records/dpop-proof";
import { oldestPublishedPrivateJwk } from "./records/signing-key";

/**
 * What both servers' DPoP checks (lib/oauth/dpop.ts, RFC 9449) need from the database: the memory of
 * the proofs seen (one insert per proof, lib/records/dpop-proof.ts), and the nonce key. The key is
 * derived (HKDF-SHA256) from the private JWK of the oldest signing key still published, which every
 * instance sharing the database reads alike: no new secret to configure, no write per request, and a
 * one-way derivation, so a nonce says nothing of the key. It changes only when that key leaves the JWKS
 * (after a rotation); clients then get one use_dpop_nonce and retry. Each process reads it once a minute.
 * A database with no signing key (an API on a database of its own, RS_ISSUER elsewhere) gives a key
 * random to the process: that API's instances then each keep their own nonce.
 */

const RELOAD_MS = 60_000;
let processKey: Uint8Array | undefined;
let cached: { key: Promise<Uint8Array>; until: number; db: PrismaClient } | undefined;

async function deriveNonceKey(db: PrismaClient, now: Date): Promise<Uint8Array> {
  const jwk = await oldestPublishedPrivateJwk(db, now);
  if (!jwk) return (processKey ??= new Uint8Array(randomBytes(32)));
  return new Uint8Array(hkdfSync("sha256", jwk, "authcode-lab", "RFC 9449 DPoP-Nonce", 32));
}

/** The process's nonce key, read again once a minute (a failed read is not kept). */
export function dpopNonceKey(db: PrismaClient, now: Date): Promise<Uint8Array> {
  const clock = Date.now();
  if (!cached || cached.db !== db || cached.until <= clock) {
    const key = deriveNonceKey(db, now);
    cached = { key, until: clock + RELOAD_MS, db };
    key.catch(() => {
      if (cached?.key === key) cached = undefined;
    });
  }
  return cached.key;
}

/** The DPoP services of one request, on the shared database. */
export function dpopServices(db: PrismaClient, config: Pick<Config, "dpopNonce">, now: Date): DpopServices {
  return {
    nonceKey: config.dpopNonce ? () => dpopNonceKey(db, now) : null,
    remember: (id, expiresAt) => rememberDpopProof(db, id, expiresAt),
  };
}

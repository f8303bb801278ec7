/**
 * Test helpers for the resource server (used by *.test.ts only): a local ES256 key set standing in for
 * the authorization server's JWKS, tokens minted with jose, and a context with no HTTP in it.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { randomToken } from "../crypto";
import type { Db } from "../db";
import { testConfig, testContext } from "../../test/support/db";
import type { IntrospectionResponse, ResourceServerContext } from "./context";
import { accessTokenRecordsIn } from "../records/access-token";
import { rememberDpopProof } from "../records/dpop-proof";
import type { DpopServices } from "../oauth/dpop";

export const ISSUER = "http://localhost:3000";
export const AUDIENCE = "http://localhost:3000/api";

export type TestKeys = { kid: string; privateKey: CryptoKey; publicKey: CryptoKey; jwks: { keys: JWK[] } };

export async function testKeys(kid = "test-key-1"): Promise<TestKeys> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { kid, privateKey, publicKey, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] } };
}

export function testRsContext(
  db: Db,
  keys: TestKeys,
  options: {
    now?: Date;
    env?: Record<string, string>;
    introspect?: (token: string) => Promise<IntrospectionResponse>;
    /** Without: proofs remembered in the test database, and no nonce asked for. */
    dpop?: DpopServices;
  } = {},
): ResourceServerContext {
  return {
    ...testContext(db, options.now, testConfig(options.env)),
    keys: createLocalJWKSet(keys.jwks),
    tokenRecords: accessTokenRecordsIn(db),
    introspect:
      options.introspect ??
      (async () => {
        throw new Error("introspection is not configured in this test");
      }),
    dpop: options.dpop ?? { nonceKey: null, remember: (id, expiresAt) => rememberDpopProof(db, id, expiresAt) },
  };
}

export type MintOptions = {
  claims?: JWTPayload & Record<string, unknown>;
  header?: Record<string, unknown>;
  /** Seconds since the epoch. */
  iat?: number;
  ttl?: number;
  key?: CryptoKey | Uint8Array;
};

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** An RFC 9068 access token as the authorization server issues it; any claim or header can be overridden. */
export async function mintAccessToken(
  keys: TestKeys,
  sub: string,
  scope: string,
  options: MintOptions = {},
): Promise<{ token: string; jti: string; exp: number }> {
  const iat = options.iat ?? epoch(new Date());
  const exp = iat + (options.ttl ?? 300);
  const jti = typeof options.claims?.jti === "string" ? options.claims.jti : randomToken(16);
  const payload = { iss: ISSUER, sub, aud: AUDIENCE, client_id: "walkthrough", scope, iat, exp, jti, ...options.claims };
  const header = { alg: "ES256", typ: "at+jwt", kid: keys.kid, ...options.header } as { alg: string };
  const token = await new SignJWT(payload).setProtectedHeader(header).sign(options.key ?? keys.privateKey);
  return { token, jti, exp };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An unsecured JWT (RFC 7519 §6): alg none and an empty signature, otherwise a perfect access token. */
export function unsignedToken(kid: string, sub: string, scope: string): string {
  const iat = epoch(new Date());
  return `${b64url({ alg: "none", typ: "at+jwt", kid })}.${b64url({ iss: ISSUER, sub, aud: AUDIENCE, client_id: "walkthrough", scope, iat, exp: iat + 300, jti: randomToken(16) })}.`;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export function apiRequest(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Request {
  return new Request(new URL(path, ISSUER), init);
}

/** The AccessToken row the authorization server writes when it issues a token (revocation checks look it up). */
export async function recordIssued(
  db: Db,
  jti: string,
  userId: string,
  scope: string,
  options: { correlationId?: string; revokedAt?: Date } = {},
) {
  return db.accessToken.create({
    data: {
      jti,
      grantId: randomToken(8),
      correlationId: options.correlationId ?? randomToken(8),
      clientId: "walkthrough",
      userId,
      scope,
      expiresAt: new Date(Date.now() + 300_000),
      revokedAt: options.revokedAt ?? null,
    },
  });
}

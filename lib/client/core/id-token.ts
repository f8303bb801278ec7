/** The client's validation of an ID token: OpenID Connect Core §3.1.3.7 (and §3.1.3.8, at_hash). */
import { createHash } from "node:crypto";
import { compactVerify, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";
import type { Check } from "./callback";
import { decodeToken } from "./jwt";

/** The clock skew allowed on exp and iat (oauth4webapi's default). */
export const CLOCK_TOLERANCE_SECONDS = 30;

const globalKeys = globalThis as unknown as { authcodeLabWalkthroughJwks?: Map<string, JWTVerifyGetKey> };
const keySets = (globalKeys.authcodeLabWalkthroughJwks ??= new Map());

/**
 * The server's public keys, one remote set per jwks_uri and process: fetched once, refetched on an
 * unknown kid (a rotation) at most every 30 s.
 * @see RFC 7517 §5, OpenID Connect Core §10.1.1
 */
export function remoteKeys(jwksUri: string, fetchImpl: typeof fetch = fetch): JWTVerifyGetKey {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: 30_000, timeoutDuration: 5_000, [customFetch]: fetchImpl });
    keySets.set(jwksUri, keys);
  }
  return keys;
}

export type IdTokenExpectations = {
  issuer: string;
  clientId: string;
  nonce: string;
  /** The access token issued with the ID token, for at_hash. */
  accessToken: string;
  /** From the metadata's id_token_signing_alg_values_supported. */
  algorithms: string[];
  keys: JWTVerifyGetKey;
  now: Date;
};

export type IdTokenValidation = { valid: boolean; checks: Check[]; claims?: Record<string, unknown> };

/** OpenID Connect Core §3.1.3.6: the hash of at_hash follows the signing algorithm's (ES256: SHA-256). */
function atHash(accessToken: string, alg: string): string | undefined {
  const bits = /^(?:ES|RS|PS|HS)(256|384|512)$/.exec(alg)?.[1];
  if (!bits) return undefined;
  const digest = createHash(`sha${bits}`).update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

/**
 * Validates an ID token the way a relying party must, each rule a visible check.
 * @see OpenID Connect Core §3.1.3.7 (and §3.1.3.8 for at_hash)
 */
export async function validateIdToken(idToken: string, expected: IdTokenExpectations): Promise<IdTokenValidation> {
  const decoded = decodeToken(idToken);
  if (!decoded) {
    return {
      valid: false,
      checks: [
        {
          name: "the ID token is a JWT",
          pass: false,
          explanation: "It could not be decoded as a signed JWT.",
          rfc: "OpenID Connect Core §2",
        },
      ],
    };
  }
  const { header, claims } = decoded;
  const alg = String(header.alg ?? "");
  const checks: Check[] = [];

  let signatureError: string | undefined;
  try {
    await compactVerify(idToken, expected.keys, { algorithms: expected.algorithms });
  } catch (error) {
    signatureError = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
  }
  checks.push({
    name: "signature verifies with the server's published key",
    pass: !signatureError,
    actual: `alg ${alg}, kid ${String(header.kid ?? "none")}`,
    expected: `alg in ${expected.algorithms.join(", ")}; key from the JWKS`,
    rfc: "OpenID Connect Core §3.1.3.7 (6)",
    explanation: signatureError
      ? `The signature does not verify (${signatureError}): the token was not made by the authorization server, or was altered.`
      : "The authorization server's key (found by kid in its JWKS) verifies the signature, so the claims below are the server's own.",
  });

  const now = Math.floor(expected.now.getTime() / 1000);
  const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : claims.aud === undefined ? [] : [String(claims.aud)];
  const exp = typeof claims.exp === "number" ? claims.exp : undefined;
  const iat = typeof claims.iat === "number" ? claims.iat : undefined;
  const expectedAtHash = atHash(expected.accessToken, alg);

  checks.push(
    {
      name: "iss is the issuer",
      pass: claims.iss === expected.issuer,
      expected: expected.issuer,
      actual: String(claims.iss ?? ""),
      explanation: "The token was issued by the server the client talks to.",
      rfc: "OpenID Connect Core §3.1.3.7 (2)",
    },
    {
      name: "aud contains this client's client_id",
      pass: aud.includes(expected.clientId),
      expected: expected.clientId,
      actual: aud.join(" "),
      explanation: "The token was issued for this client, not for another one.",
      rfc: "OpenID Connect Core §3.1.3.7 (3)",
    },
  );
  if (aud.length > 1 || claims.azp !== undefined) {
    checks.push({
      name: "azp is this client",
      pass: claims.azp === expected.clientId,
      expected: expected.clientId,
      actual: String(claims.azp ?? ""),
      explanation: "The authorized party is this client.",
      rfc: "OpenID Connect Core §3.1.3.7 (4, 5)",
    });
  }
  checks.push(
    {
      name: "exp is in the future",
      pass: exp !== undefined && exp + CLOCK_TOLERANCE_SECONDS > now,
      expected: `after ${new Date(expected.now.getTime() - CLOCK_TOLERANCE_SECONDS * 1000).toISOString()}`,
      actual: exp ? new Date(exp * 1000).toISOString() : null,
      explanation: `The token has not expired (${CLOCK_TOLERANCE_SECONDS} s of clock skew allowed).`,
      rfc: "OpenID Connect Core §3.1.3.7 (9)",
    },
    {
      name: "iat is not in the future",
      pass: iat !== undefined && iat <= now + CLOCK_TOLERANCE_SECONDS,
      actual: iat ? new Date(iat * 1000).toISOString() : null,
      explanation: "The token was issued now, not minted for later use.",
      rfc: "OpenID Connect Core §3.1.3.7 (10)",
    },
    {
      name: "nonce matches",
      pass: claims.nonce === expected.nonce,
      expected: expected.nonce,
      actual: claims.nonce === undefined ? null : String(claims.nonce),
      explanation: "The nonce is the one this run sent in step 1, so the ID token answers this request and is not replayed from another.",
      rfc: "OpenID Connect Core §3.1.3.7 (11)",
    },
  );
  if (claims.at_hash !== undefined) {
    checks.push({
      name: "at_hash matches the access token",
      pass: expectedAtHash !== undefined && claims.at_hash === expectedAtHash,
      expected: expectedAtHash,
      actual: String(claims.at_hash),
      explanation: "The access token in the same response is the one the server bound to this ID token.",
      rfc: "OpenID Connect Core §3.1.3.8",
    });
  }
  checks.push({
    name: "sub is present",
    pass: typeof claims.sub === "string" && claims.sub.length > 0,
    actual: String(claims.sub ?? ""),
    explanation: "The subject identifies the user; it is what the client keys the user's account by.",
    rfc: "OpenID Connect Core §2",
  });

  return { valid: checks.every((c) => c.pass), checks, claims };
}

import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { bearerCredentials } from "../../http";
import { discover, type Fetch } from "../../resource-server/authorization-server";

/**
 * LAB MODE only: a weakened copy of the API (GET /lab/weakened/api) for the lab's cards 7, 10 and 11, with the
 * classic mistakes of a hand-rolled verifier. It lets the token's own header choose the algorithm:
 * `none` is taken unsigned, and an HMAC algorithm is verified with the issuer's public key (its JWK, as
 * text) as the secret. Once a signature holds, it checks no claim: no aud, typ, exp or iss, and no cnf: a
 * DPoP-bound token is served as a bearer token, and a DPoP proof is never read. It answers
 * with the claims it trusted. The real API (lib/resource-server/verify-access-token.ts) accepts ES256
 * only and checks every one of them.
 */
export async function serveWeakenedApi(request: Request, issuer: string, fetchImpl: Fetch = fetch): Promise<Response> {
  // The mistake of cards 10 and 11: a DPoP-bound token is taken with either scheme, and no proof is read.
  const authorization = request.headers.get("authorization");
  const token = bearerCredentials(authorization) ?? /^DPoP ([\w.~+/-]+=*)$/i.exec(authorization ?? "")?.[1];
  if (!token) return answer(401, { error: "invalid_token", error_description: "No bearer token." });
  let header;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
    claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return answer(401, { error: "invalid_token", error_description: "The token is not a JWT." });
  }
  try {
    if (header.alg !== "none") {
      const { jwks_uri } = await discover(issuer, fetchImpl);
      const { keys } = (await (await fetchImpl(jwks_uri, { cache: "no-store" })).json()) as { keys: JWK[] };
      const jwk = keys.find((k) => k.kid === header.kid) ?? keys[0];
      // The mistake: the header's alg picks how the key is used, so the public key becomes an HMAC secret.
      const key = header.alg?.startsWith("HS") ? new TextEncoder().encode(JSON.stringify(jwk)) : await importJWK(jwk, header.alg);
      await compactVerify(token, key);
    }
  } catch (error) {
    return answer(401, {
      error: "invalid_token",
      error_description: `The signature does not verify (${error instanceof Error ? error.message : "error"}).`,
    });
  }
  return answer(200, {
    lab: "LAB MODE: the weakened API accepted this token (insecure on purpose)",
    alg: header.alg,
    typ: header.typ ?? null,
    sub: claims.sub ?? null,
    aud: claims.aud ?? null,
    exp: claims.exp ?? null,
  });
}

const answer = (status: number, body: Record<string, unknown>) =>
  Response.json(body, {
    status,
    headers: { "Cache-Control": "no-store", ...(status === 401 ? { "WWW-Authenticate": `Bearer error="invalid_token"` } : {}) },
  });

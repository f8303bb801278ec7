/**
 * The benchmark's DPoP scenarios (issue 14): the code grant and the API call with a DPoP proof each
 * (RFC 9449). The proofs are made before a scenario, so that the load generator spends no CPU signing
 * while it measures: each has its own jti (a proof works once), and its iat is good for the server's
 * 60 s window, longer than a scenario.
 */
import { dpopProof, newDpopKey, nonceAskedFor, type DpopKey } from "../../lib/client/core/dpop";

export { newDpopKey, type DpopKey };

/** The server's current nonce (RFC 9449 §8): what a token request with a proof but no nonce is answered with; undefined when it asks for none. */
export async function serverNonce(baseURL: string, key: DpopKey): Promise<string | undefined> {
  const url = `${baseURL}/oauth/token`;
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", DPoP: await dpopProof(key, { method: "POST", url }, new Date()) },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "bench-nonce-probe", client_id: "public-demo" }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  return nonceAskedFor(response.status, body, response.headers);
}

/** `count` proofs of `key` for one endpoint (and one access token, for the API). */
export async function makeProofs(
  key: DpopKey,
  count: number,
  request: { method: "GET" | "POST"; url: string; accessToken?: string },
  nonce: string | undefined,
): Promise<string[]> {
  const now = new Date();
  const proofs: string[] = [];
  for (let i = 0; i < count; i++) proofs.push(await dpopProof(key, { ...request, ...(nonce ? { nonce } : {}) }, now));
  return proofs;
}

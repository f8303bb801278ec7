/** The client's requests to the protected API and its challenges: RFC 6750 §2.1 and §3. */
import type { OutgoingRequest } from "./recorded-fetch";

/**
 * @see RFC 6750 §2.1: a request to the protected API, the access token in the Authorization header; a
 * DPoP-bound token goes with the DPoP scheme (RFC 9449 §7.1), and its proof is added by the caller.
 */
export function apiRequest(
  resourceServerUrl: string,
  path: "/api/me" | "/api/notes",
  options: { method?: "GET" | "POST"; accessToken?: string; scheme?: "Bearer" | "DPoP"; json?: Record<string, string> } = {},
): OutgoingRequest {
  return {
    method: options.method ?? "GET",
    url: `${resourceServerUrl}${path}`,
    ...(options.accessToken ? { headers: { Authorization: `${options.scheme ?? "Bearer"} ${options.accessToken}` } } : {}),
    ...(options.json ? { json: options.json } : {}),
  };
}

/** @see RFC 6750 §3, RFC 9449 §7.1: the parameters of a `WWW-Authenticate: Bearer` (or `DPoP`) challenge, for display. */
export function readBearerChallenge(header: string | undefined | null): Record<string, string> | undefined {
  if (!header || !/^(Bearer|DPoP)\b/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([A-Za-z_]+)="((?:[^"\\]|\\.)*)"/g)) params[match[1]] = match[2].replace(/\\(.)/g, "$1");
  return params;
}

/**
 * The clock skew this app's API allows past an access token's exp (RFC 9068 §4 leaves it to the API;
 * lib/resource-server/verify-access-token.ts, kept equal by a unit test): the page counts it down, so
 * "expired" never sits beside a 200.
 */
export const API_CLOCK_SKEW_SECONDS = 30;

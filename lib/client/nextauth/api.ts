import type { Fetch } from "./oauth";
import type { ClientEvent } from "./refresh";

/** What the page shows of one API call: never the token, only what the resource server answered. */
export type ApiCall = {
  method: "GET";
  path: string;
  status: number;
  /** RFC 6750 §3: the challenge of a 401 or 403. */
  wwwAuthenticate?: string;
  body: unknown;
};

/** What a resource answered a GET with the access token: its status, its challenge (RFC 6750 §3) and its body; status 0 when unreachable. */
export type BearerAnswer = { status: number; wwwAuthenticate?: string; body: unknown };

/**
 * A GET from the client's server with the access token in the Authorization header (RFC 6750 §2.1),
 * to the protected API or to the authorization server's own resources: the body is JSON, else text.
 */
export async function getWithBearer(url: string, accessToken: string, fetchImpl: Fetch = fetch): Promise<BearerAnswer> {
  try {
    const response = await fetchImpl(url, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      cache: "no-store",
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: shown as text */
    }
    const challenge = response.headers.get("www-authenticate");
    return { status: response.status, ...(challenge ? { wwwAuthenticate: challenge } : {}), body };
  } catch (error) {
    return { status: 0, body: { error: "unreachable", error_description: error instanceof Error ? error.message : String(error) } };
  }
}

/** The protected API's resources this client reads (issue 4: GET /api/me needs profile, GET /api/notes notes:read). */
export const API_PATHS = ["/api/me", "/api/notes"] as const;

/**
 * Step 6: the client's server calls the protected API with the access token in the Authorization
 * header (RFC 6750 §2.1). Returns each answer and the event to record for it.
 */
export async function callProtectedApi(
  resourceServerUrl: string,
  accessToken: string,
  fetchImpl: Fetch = fetch,
): Promise<{ calls: ApiCall[]; events: ClientEvent[] }> {
  const calls = await Promise.all(
    API_PATHS.map(async (path): Promise<ApiCall> => {
      const answer = await getWithBearer(`${resourceServerUrl}${path}`, accessToken, fetchImpl);
      return { method: "GET", path, ...answer };
    }),
  );
  const events: ClientEvent[] = calls.map((call) => ({
    step: 6,
    name: `Client called the API: ${call.method} ${call.path}`,
    outcome: call.status >= 200 && call.status < 300 ? "ok" : "error",
    http: {
      request: { method: call.method, url: `${resourceServerUrl}${call.path}`, headers: { authorization: `Bearer ${accessToken}` } },
      response: {
        status: call.status,
        ...(call.wwwAuthenticate ? { headers: { "www-authenticate": call.wwwAuthenticate } } : {}),
        body: call.body,
      },
    },
  }));
  return { calls, events };
}

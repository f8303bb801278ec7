import { discover, type Fetch } from "./authorization-server";
import type { IntrospectionResponse } from "./context";
import { AuthorizationServerUnavailable } from "./errors";

/** The API's client id at the authorization server (lib/demo.ts seeds it, confidential, no redirect URI). */
export const RS_CLIENT_ID = "resource-server";

/** RFC 6749 §2.3.1: Basic credentials, each part form-urlencoded first. */
const basic = (id: string, secret: string) => {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString("base64")}`;
};

/**
 * RFC 7662 §2.1: asks the authorization server whether a token is active, authenticating as the
 * `resource-server` client; the endpoint comes from the issuer's cached metadata. One HTTP round trip.
 */
export function introspector(
  issuer: string,
  clientSecret: string,
  fetchImpl: Fetch = fetch,
): (token: string) => Promise<IntrospectionResponse> {
  const authorization = basic(RS_CLIENT_ID, clientSecret);
  return async (token) => {
    const { introspection_endpoint: endpoint } = await discover(issuer, fetchImpl);
    if (!endpoint) throw new AuthorizationServerUnavailable("introspection endpoint (none in its metadata)");
    let body: unknown;
    try {
      const response = await fetchImpl(endpoint, {
        method: "POST",
        headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }),
        redirect: "manual",
        signal: AbortSignal.timeout(5_000),
      });
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      body = await response.json();
    } catch (cause) {
      throw new AuthorizationServerUnavailable("introspection endpoint", { cause });
    }
    // RFC 7662 §2.2: `active` is the one required member; anything but `true` is inactive.
    const r = body as Partial<IntrospectionResponse> | null;
    return { ...(r && typeof r === "object" ? r : {}), active: r?.active === true };
  };
}

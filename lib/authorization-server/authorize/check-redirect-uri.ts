import type { Config } from "../../config";
import { invalidRedirectTarget } from "../../oauth/errors";
import type { Client } from "../clients";
import { policyOf } from "../client-policy";

/**
 * RFC 6749 §3.1.2.3 with RFC 9700 §4.1.3: the redirect_uri must equal one of the client's registered
 * URIs by simple string comparison; no normalisation, no prefix or pattern matching. `prefixMatch`
 * only for a client whose policy relaxes it (client-policy.ts: the lab's weakened client, in LAB_MODE).
 */
export function matchRedirectUri(redirectUri: string | undefined, registered: readonly string[], prefixMatch = false): string {
  if (redirectUri === undefined) throw invalidRedirectTarget("The redirect_uri parameter is required.");
  const matches = prefixMatch ? registered.some((uri) => redirectUri.startsWith(uri)) : registered.includes(redirectUri);
  if (!matches) throw invalidRedirectTarget("The redirect_uri is not registered for this client.");
  return redirectUri;
}

/** The authorization request's redirect_uri, matched against the client's registered URIs as its policy says. */
export function checkRedirectUri(config: Config, client: Client, redirectUri: string | undefined): string {
  return matchRedirectUri(redirectUri, client.redirectUris, !policyOf(config, client).exactRedirectUri);
}

/** Builds the authorization response URL (RFC 6749 §4.1.2, RFC 9207 §2): the registered URI plus parameters. */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.href;
}

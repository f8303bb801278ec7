/**
 * The authorization request URL. No server-only imports: the walkthrough's scope picker imports it to
 * show the URL as the learner ticks scopes, and the server builds the same URL to send the browser.
 * @see RFC 6749 §4.1.1
 */

export type AuthorizationUrlInput = {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  nonce: string;
  codeChallenge: string;
  /** OpenID Connect Core §3.1.2.1: `login` and/or `consent` to ask the user again. */
  prompt?: readonly string[];
  /** RFC 9449 §10: the thumbprint of the DPoP key that must redeem the code. */
  dpopJkt?: string;
};

/** @see RFC 6749 §4.1.1 (with RFC 7636 §4.3 and OpenID Connect Core §3.1.2.1): the authorization request. */
export function authorizationUrl(authorizationEndpoint: string, input: AuthorizationUrlInput): string {
  const url = new URL(authorizationEndpoint);
  for (const [name, value] of authorizationParameters(input)) url.searchParams.set(name, value);
  return url.href;
}

/** The authorization request's parameters: in the URL, or pushed in a form body first (RFC 9126 §2.1). */
export function authorizationParameters(input: AuthorizationUrlInput): URLSearchParams {
  const params = new URLSearchParams({
    response_type: "code",
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    scope: input.scopes.join(" "),
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: "S256",
    nonce: input.nonce,
  });
  if (input.prompt?.length) params.set("prompt", input.prompt.join(" "));
  if (input.dpopJkt) params.set("dpop_jkt", input.dpopJkt);
  return params;
}

/** @see RFC 9126 §4: after a push, the front channel carries only client_id and the request_uri. */
export function pushedAuthorizationUrl(authorizationEndpoint: string, clientId: string, requestUri: string): string {
  const url = new URL(authorizationEndpoint);
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("request_uri", requestUri);
  return url.href;
}

/**
 * The values a client makes for one authorization request: `state`, `nonce` and a PKCE pair, from
 * 256 random bits each (WebCrypto, as oauth4webapi does).
 * @see RFC 7636 §4.1–4.2, RFC 6749 §10.12, OpenID Connect Core §3.1.2.1
 */

/** @see RFC 7636 §4.1: 32 random octets, base64url: a 43-character code_verifier. */
export function randomValue(bytes = 32): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}

/** @see RFC 7636 §4.2: code_challenge = BASE64URL(SHA256(ASCII(code_verifier))), method S256. */
export async function codeChallengeS256(codeVerifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier));
  return Buffer.from(digest).toString("base64url");
}

export type AuthorizationRequestValues = {
  /** RFC 6749 §10.12: binds the response to this browser's request (CSRF). */
  state: string;
  /** OpenID Connect Core §3.1.2.1: binds the ID token to this request (replay). */
  nonce: string;
  /** RFC 7636 §4.1: the secret half of PKCE, kept on the client's server until the code exchange. */
  codeVerifier: string;
  /** RFC 7636 §4.2: the public half, sent in the authorization request. */
  codeChallenge: string;
};

/** @see RFC 6749 §4.1.1, RFC 7636 §4.1–4.2, OpenID Connect Core §3.1.2.1: fresh values for one request. */
export async function newAuthorizationRequestValues(): Promise<AuthorizationRequestValues> {
  const codeVerifier = randomValue();
  return { state: randomValue(), nonce: randomValue(), codeVerifier, codeChallenge: await codeChallengeS256(codeVerifier) };
}

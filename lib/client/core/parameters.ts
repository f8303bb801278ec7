/**
 * One line for every parameter and header the walkthrough shows, where it appears (DESIGN.md,
 * "Teaching experience"). Keys are lower case.
 * @see RFC 6749 §4.1 and §5, RFC 7636 §4, RFC 7009 §2, RFC 7662 §2, RFC 6750 §3
 */
const HELP: Record<string, string> = {
  // RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1: the authorization request.
  response_type: "code: the authorization code grant (RFC 6749 §4.1.1).",
  client_id: "Which registered client is asking (RFC 6749 §2.2).",
  redirect_uri: "Where the authorization server sends the browser back; it must be registered exactly (RFC 6749 §3.1.2).",
  scope: "What the client asks to do, space-separated (RFC 6749 §3.3).",
  state: "A random value the client checks when the browser comes back: a forged response is refused (RFC 6749 §10.12).",
  code_challenge: "BASE64URL(SHA-256(code_verifier)): the public half of PKCE (RFC 7636 §4.2).",
  code_challenge_method: "S256: the challenge is a SHA-256 hash; plain is refused (RFC 7636 §4.3, RFC 9700 §2.1.1).",
  nonce: "A random value the ID token must carry back, so a replayed ID token is refused (OpenID Connect Core §3.1.2.1).",
  prompt: "login: sign in again; consent: ask for consent again (OpenID Connect Core §3.1.2.1).",
  dpop_jkt:
    "The thumbprint of the client's DPoP key: the code is bound to it, and only a proof signed by that key can redeem it (RFC 9449 §10).",
  // RFC 9126: a pushed authorization request.
  request_uri:
    "The reference the authorization server gave for a pushed request: one-time, short-lived, bound to the client; the link carries it instead of the parameters (RFC 9126 §2.2, §4).",
  // RFC 6749 §4.1.2, RFC 9207: the authorization response.
  code: "The authorization code: one-time, short-lived, bound to this client, redirect URI and PKCE challenge (RFC 6749 §4.1.2).",
  iss: "The issuer that sent the response; the client compares it with the server it used (RFC 9207 §2).",
  error: "The error code (RFC 6749 §4.1.2.1, §5.2, RFC 6750 §3.1).",
  error_description: "A human-readable explanation of the error.",
  // RFC 6749 §4.1.3, §6, §2.3.1: the token request.
  grant_type: "authorization_code (step 4) or refresh_token (RFC 6749 §4.1.3, §6).",
  code_verifier: "The secret half of PKCE: only the client that made the challenge knows it (RFC 7636 §4.5).",
  client_secret: "The client's password (client_secret_post); masked here: it never reaches your browser (RFC 6749 §2.3.1).",
  refresh_token: "A long-lived credential for new access tokens; rotated on every use (RFC 6749 §6, RFC 9700 §4.14.2).",
  // RFC 6749 §5.1, OpenID Connect Core §3.1.3.3: the token response.
  access_token: "The credential the API accepts (a JWT here, RFC 9068); masked here.",
  token_type:
    "Bearer: whoever holds the token may use it, so it must be kept secret (RFC 6750). DPoP: the token is bound to the client's key, and useless without a proof signed by it (RFC 9449 §5).",
  expires_in: "Seconds until it expires: the access token (RFC 6749 §5.1), or a pushed request's request_uri (RFC 9126 §2.2).",
  id_token: "A signed JWT that tells the client who the user is (OpenID Connect Core §2); masked here.",
  // RFC 7009, RFC 7662.
  token: "The token to revoke or introspect (RFC 7009 §2.1, RFC 7662 §2.1).",
  token_type_hint: "Which kind of token it is, to speed up the lookup (RFC 7009 §2.1).",
  active: "Whether the token is usable now (RFC 7662 §2.2).",
  // Headers.
  authorization: "The credentials: Bearer and the access token (RFC 6750 §2.1); masked here.",
  "content-type": "The body's format: form-encoded for the OAuth endpoints (RFC 6749 Appendix B), JSON for the API.",
  accept: "The format the client wants back.",
  "cache-control": "no-store: no cache may keep this response, since it carries tokens (RFC 6749 §5.1).",
  pragma: "no-cache: the HTTP/1.0 equivalent of Cache-Control: no-store.",
  dpop: "A DPoP proof: a JWT signed with the client's private key for this one request; decoded below (RFC 9449 §4).",
  "dpop-nonce":
    "A value the server asks the client's next DPoP proof to carry, so that proofs cannot be made in advance (RFC 9449 §8, §9).",
  "www-authenticate": "The API's challenge: why the request was refused, as error and error_description (RFC 6750 §3).",
  location: "Where a redirect sends the browser.",
  text: "The note's text.",
};

export function explainParameter(name: string): string | undefined {
  return HELP[name.toLowerCase()];
}

/** What each scope of this server lets the client do (the consent page says the same to the user). */
const SCOPES: Record<string, string> = {
  openid: "OpenID Connect: an ID token that says who the user is.",
  profile: "The user's name and username (GET /api/me needs it).",
  email: "The user's email address.",
  offline_access: "A refresh token, for new access tokens without the user.",
  "notes:read": "Read the user's notes (GET /api/notes).",
  "notes:write": "Create notes (POST /api/notes).",
};

export const explainScope = (scope: string): string => SCOPES[scope] ?? "A scope this walkthrough does not describe.";

/** What each member of a proof is for (RFC 9449 §4.2), as the walkthrough explains it beside the request. */
const PROOF_MEMBERS: Record<string, string> = {
  typ: "dpop+jwt: this JWT is a DPoP proof, and nothing else (RFC 9449 §4.2).",
  alg: "ES256: the proof is signed with the client's private key (RFC 9449 §4.2).",
  jwk: "The client's public key. The server checks the signature with it and binds the tokens to its thumbprint, cnf.jkt (RFC 9449 §4.2, §6).",
  htm: "The HTTP method of this request: the proof is good for it alone (RFC 9449 §4.2).",
  htu: "The URL of this request, without query or fragment: a proof for the token endpoint is useless at the API (RFC 9449 §4.2).",
  iat: "When the proof was made: the server accepts it only within a short window (RFC 9449 §4.3, §11.1).",
  jti: "A unique id: the server remembers it, so the same proof is refused a second time (RFC 9449 §11.1).",
  ath: "The SHA-256 of the access token sent with it: a proof made for one token does not go with another (RFC 9449 §4.2, §7.1).",
  nonce: "The value the server asked for (DPoP-Nonce): a proof made before the server's nonce cannot be used now (RFC 9449 §8, §9).",
};

export const explainProofMember = (name: string): string | undefined => PROOF_MEMBERS[name];

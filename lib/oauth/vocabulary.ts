/**
 * The vocabulary the roles share.
 *
 * The scopes of this deployment (RFC 6749 §3.3), each with what it lets a client do, in plain words for
 * the consent page: OpenID Connect's and the protected API's. The authorization server grants them, the
 * API requires them, the clients and the demo data ask for them.
 */
export const SCOPES = {
  openid: "Confirm who you are (sign you in with your account ID).",
  profile: "See your name and username.",
  email: "See your email address.",
  offline_access: "Stay connected when you are away (a refresh token).",
  "notes:read": "Read your notes.",
  "notes:write": "Create notes in your name.",
} as const;

export type Scope = keyof typeof SCOPES;

export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

/** RFC 7591 §2: how a client authenticates at the token endpoint. */
export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

import { ALL_SCOPES, type TokenEndpointAuthMethod } from "./oauth/vocabulary";
import { DEMO_RS_CLIENT_SECRET, RS_CLIENT_ID } from "./config";

/** Demo users; their passwords are printed in the README and on purpose not secret. */
export const DEMO_USERS = [
  { username: "alice", password: "alice-demo-password", name: "Alice Example", email: "alice@example.com" },
  { username: "bob", password: "bob-demo-password", name: "Bob Example", email: "bob@example.com" },
];

/**
 * The self-check's own user (/self-check): it signs in as this one, never as a participant's demo
 * account, whose failed sign-ins a success would clear. It holds nothing; its password is a demo value too.
 */
export const SELF_CHECK_USER = {
  username: "self-check",
  password: "self-check-demo-password",
  name: "Self-check",
  email: "self-check@example.com",
};

/** Demo clients. The secrets are demo values (overridable); only their SHA-256 is stored. */
export const DEMO_CLIENTS = (
  clientUrl: string,
): {
  id: string;
  name: string;
  secret: string | null;
  authMethod: TokenEndpointAuthMethod;
  redirectUris: string[];
  scopes: string[];
}[] => [
  {
    id: "walkthrough",
    name: "Walkthrough client",
    secret: process.env.WALKTHROUGH_CLIENT_SECRET || "walkthrough-demo-secret",
    authMethod: "client_secret_post",
    redirectUris: [`${clientUrl}/walkthrough/callback`],
    scopes: ALL_SCOPES,
  },
  {
    id: "nextauth-demo",
    name: "Production-style client (next-auth)",
    secret: process.env.AUTH_AUTHCODE_LAB_SECRET || "nextauth-demo-secret",
    authMethod: "client_secret_basic",
    redirectUris: [`${clientUrl}/api/auth/callback/authcode-lab`],
    scopes: ALL_SCOPES,
  },
  {
    id: "public-demo",
    name: "Public client (PKCE, no secret)",
    secret: null,
    authMethod: "none",
    redirectUris: [`${clientUrl}/walkthrough/callback`, "http://127.0.0.1:8976/callback"],
    scopes: ALL_SCOPES,
  },
  {
    // The protected API, as a client of the authorization server: it only introspects tokens (RFC 7662
    // §2.1), so it has no redirect URI and no scope. Seeded only when it may introspect (lib/seed.ts).
    id: RS_CLIENT_ID,
    name: "Protected API (token introspection)",
    secret: process.env.RS_CLIENT_SECRET || DEMO_RS_CLIENT_SECRET,
    authMethod: "client_secret_basic",
    redirectUris: [],
    scopes: [],
  },
];

export const LAB_WEAKENED_CLIENT_ID = "lab-weakened";

/**
 * LAB MODE only (lib/seed.ts registers it then, and removes it otherwise): the lab's deliberately
 * weakened client, confidential (client_secret_post, a printed demo value). Its record switches off the
 * server checks the lab's cards show failing (client-policy.ts), honoured only while LAB_MODE is on;
 * lib/workshop/lab/weakened.ts names each weakness and its card.
 */
export const labWeakenedClient = (clientUrl: string) => ({
  id: LAB_WEAKENED_CLIENT_ID,
  name: "Weakened lab client (LAB MODE — insecure on purpose)",
  secret: "lab-weakened-demo-secret",
  authMethod: "client_secret_post" as const,
  // The lab plays the browser and stops at this redirect (as it does for the walkthrough's): no page serves it.
  redirectUris: [`${clientUrl}/lab/weakened/callback`],
  scopes: ALL_SCOPES,
  policy: { exactRedirectUri: false, pkceVerified: false, singleUseCode: false, codeBoundToClient: false, rotateRefreshToken: false },
});

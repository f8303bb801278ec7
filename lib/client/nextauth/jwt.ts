import type { DefaultJWT } from "@auth/core/jwt";

/**
 * What the next-auth session cookie holds (a JWE, encrypted with AUTH_SECRET, httpOnly). The tokens
 * live only here: the session callback leaves them out of the session the browser can read.
 */
declare module "@auth/core/jwt" {
  interface JWT extends DefaultJWT {
    access_token?: string;
    refresh_token?: string;
    /** The access token's expiry, in seconds since the epoch. */
    expires_at?: number;
    /** The access token's lifetime as issued (RFC 6749 §5.1 expires_in), in seconds. */
    expires_in?: number;
    scope?: string;
    /** The user's identifier at the authorization server, and their username. */
    subject?: string;
    username?: string;
    /** The run of the flow this session belongs to (see GET /api/flow-events). */
    correlationId?: string;
    /** Set when the refresh token was refused: the user must sign in again. */
    error?: "RefreshTokenError";
    error_description?: string;
    /** The last refresh failed for another reason (the server unreachable): the next use tries again. */
    refresh_failure?: string;
  }
}

export {};

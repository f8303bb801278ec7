import type { Resource } from "./context";
import { userProfile } from "../records/user";
import { invalidToken } from "./errors";

/**
 * GET /api/me: the token's user, with claim names from OpenID Connect Core §5.1: sub, name and
 * preferred_username under `profile`; email only when the token also grants `email`.
 */
export const me: Resource = {
  name: "Read the user's profile",
  scope: "profile",
  async serve({ claims, scopes }, _request, ctx) {
    const user = await userProfile(ctx.db, claims.sub);
    if (!user) throw invalidToken("user", "The token's user no longer exists.");
    const body: Record<string, unknown> = { sub: user.id, name: user.name, preferred_username: user.username };
    if (scopes.includes("email")) Object.assign(body, { email: user.email, email_verified: user.emailVerified });
    return { status: 200, body };
  },
};

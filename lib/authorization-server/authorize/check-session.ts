import type { Context } from "../../oauth/context";
import { OAuthError } from "../../oauth/errors";
import { findSession, type AsSession } from "../session";
import type { Prompt } from "./check-prompt";

/**
 * OpenID Connect Core §3.1.2.3: the session the request may use, or null when the user must sign in
 * (no session, one older than max_age, or prompt=login); with prompt=none that is login_required.
 */
export async function checkSession(ctx: Context, request: Request, prompt: Prompt, maxAge: number | undefined): Promise<AsSession | null> {
  const session = await findSession(ctx, request);
  const tooOld = session && maxAge !== undefined && ctx.now.getTime() - session.authTime.getTime() > maxAge * 1000;
  const needsLogin = !session || tooOld || prompt.has("login");
  if (needsLogin && prompt.has("none")) throw new OAuthError("login_required", "The user is not signed in.");
  return needsLogin ? null : session;
}

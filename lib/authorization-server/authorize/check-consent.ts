import type { Context } from "../../oauth/context";
import { OAuthError } from "../../oauth/errors";
import { hasConsent } from "../consent";
import type { Scope } from "../../oauth/vocabulary";
import type { AsSession } from "../session";
import type { Prompt } from "./check-prompt";

/**
 * OpenID Connect Core §3.1.2.4: whether the user must be asked for consent (prompt=consent, nobody
 * signed in yet, or scopes not granted to this client before); with prompt=none that is consent_required.
 */
export async function checkConsent(
  ctx: Context,
  session: AsSession | null,
  clientId: string,
  scopes: readonly Scope[],
  prompt: Prompt,
): Promise<boolean> {
  const needsConsent = prompt.has("consent") || !session || !(await hasConsent(ctx, session.userId, clientId, scopes));
  if (needsConsent && prompt.has("none")) throw new OAuthError("consent_required", "The user has not granted these scopes to this client.");
  return needsConsent;
}

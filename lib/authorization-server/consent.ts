import type { Context } from "../oauth/context";
import { ALL_SCOPES } from "../oauth/vocabulary";
import { coversScope, formatScope, splitScope } from "./scope";
import { consentScope, saveConsentScope } from "../records/consent";

/** True when the user already granted this client every scope it asks for now. */
export async function hasConsent(ctx: Context, userId: string, clientId: string, scopes: readonly string[]): Promise<boolean> {
  const granted = await consentScope(ctx.db, userId, clientId);
  return granted !== null && coversScope(splitScope(granted), scopes);
}

/**
 * Remembers a grant: the union of what the user granted this client so far. Written only when it grew,
 * so the row's updatedAt says when the scopes last grew (the grants page shows it).
 */
export async function rememberConsent(ctx: Context, userId: string, clientId: string, scopes: readonly string[]): Promise<void> {
  const granted = await consentScope(ctx.db, userId, clientId);
  const union = new Set([...splitScope(granted ?? ""), ...scopes]);
  const scope = formatScope(ALL_SCOPES.filter((s) => union.has(s)));
  if (scope !== granted) await saveConsentScope(ctx.db, userId, clientId, scope);
}

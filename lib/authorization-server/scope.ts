import { OAuthError } from "../oauth/errors";
import { ALL_SCOPES, SCOPES, type Scope } from "../oauth/vocabulary";

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * RFC 6749 §3.3: a space-delimited, case-sensitive list; order does not matter, duplicates collapse.
 * Returns the scopes in a canonical order.
 */
export function parseScope(value: string | undefined, allowed: readonly string[], redirectable = true): Scope[] {
  if (value === undefined) throw new OAuthError("invalid_scope", "The scope parameter is required.", { redirectable });
  const requested = new Set(value.split(" ").filter(Boolean));
  for (const s of requested) {
    if (!SCOPE_TOKEN.test(s)) throw new OAuthError("invalid_scope", "The scope parameter is malformed.", { redirectable });
    if (!Object.hasOwn(SCOPES, s)) throw new OAuthError("invalid_scope", `The scope ${s} is unknown.`, { redirectable });
    if (!allowed.includes(s)) throw new OAuthError("invalid_scope", `The client may not request the scope ${s}.`, { redirectable });
  }
  if (requested.size === 0) throw new OAuthError("invalid_scope", "The scope parameter is empty.", { redirectable });
  return ALL_SCOPES.filter((s) => requested.has(s));
}

export const formatScope = (scopes: readonly string[]) => scopes.join(" ");
export const splitScope = (scope: string) => scope.split(" ").filter(Boolean);

/** True when every scope of `wanted` is in `granted`. */
export const coversScope = (granted: readonly string[], wanted: readonly string[]) => wanted.every((s) => granted.includes(s));

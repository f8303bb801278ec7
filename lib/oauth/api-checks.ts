/**
 * The protected API's checks of one request, in the order it runs them (RFC 6750 §2.1, RFC 8725 §3.1,
 * RFC 9068 §4, RFC 7009 / RFC 7662, RFC 9449 §7.1, RFC 6750 §3.1), with the RFC section of each: what the resource
 * server records in its step-7 event and the clients (the walkthrough, the lab) read back and render.
 * Shared (lib/oauth/): no role's code, only the names and links; the resource server runs them from
 * its list (API_CHECKS, lib/resource-server/validation-checks.ts).
 */
export const VALIDATION_STEPS = [
  {
    id: "token",
    name: "Access token sent in the Authorization header",
    rfc: "RFC 6750 §2.1",
    href: "https://www.rfc-editor.org/rfc/rfc6750#section-2.1",
  },
  {
    id: "jws",
    name: "A signed JWT with an accepted algorithm (ES256; never none or HMAC)",
    rfc: "RFC 8725 §3.1",
    href: "https://www.rfc-editor.org/rfc/rfc8725#section-3.1",
  },
  {
    id: "kid",
    name: "Its key id (kid) is in the authorization server's JWKS",
    rfc: "RFC 7517 §4.5",
    href: "https://www.rfc-editor.org/rfc/rfc7517#section-4.5",
  },
  {
    id: "signature",
    name: "The signature verifies with that key",
    rfc: "RFC 7515 §5.2",
    href: "https://www.rfc-editor.org/rfc/rfc7515#section-5.2",
  },
  {
    id: "typ",
    name: "typ is at+jwt: an access token, not an ID token",
    rfc: "RFC 9068 §2.1",
    href: "https://www.rfc-editor.org/rfc/rfc9068#section-2.1",
  },
  {
    id: "iss",
    name: "iss is the authorization server this API trusts",
    rfc: "RFC 9068 §4",
    href: "https://www.rfc-editor.org/rfc/rfc9068#section-4",
  },
  { id: "aud", name: "aud is this API", rfc: "RFC 9068 §4", href: "https://www.rfc-editor.org/rfc/rfc9068#section-4" },
  {
    id: "exp",
    name: "exp (and nbf): within its lifetime, 30 s of clock skew allowed",
    rfc: "RFC 7519 §4.1.4",
    href: "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4",
  },
  {
    id: "claims",
    name: "sub, client_id, iat and jti present and well-formed",
    rfc: "RFC 9068 §2.2",
    href: "https://www.rfc-editor.org/rfc/rfc9068#section-2.2",
  },
  { id: "revocation", name: "Not revoked", rfc: "RFC 7009 §2", href: "https://www.rfc-editor.org/rfc/rfc7009#section-2" },
  {
    id: "dpop",
    name: "Sender-constrained: a DPoP-bound token (cnf.jkt) comes as DPoP with a fresh proof of its key; a bearer token as Bearer",
    rfc: "RFC 9449 §7.1",
    href: "https://www.rfc-editor.org/rfc/rfc9449#section-7.1",
  },
  {
    id: "scope",
    name: "The token grants the scope this request needs",
    rfc: "RFC 6750 §3.1",
    href: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
  },
] as const;

export type ValidationStep = (typeof VALIDATION_STEPS)[number]["id"];
export type CheckResult = { check: ValidationStep; result: "passed" | "failed" | "not run" };

/** How the API finds out about revocation (RS_REVOCATION_CHECK) changes what that check is and which RFC says it. */
export function describeStep(id: ValidationStep, revocationCheck?: string): { name: string; rfc: string; href: string } {
  const step = VALIDATION_STEPS.find((s) => s.id === id)!;
  if (id !== "revocation") return step;
  return revocationCheck === "introspection"
    ? {
        name: "Not revoked: the authorization server says it is active (introspection)",
        rfc: "RFC 7662 §2.2",
        href: "https://www.rfc-editor.org/rfc/rfc7662#section-2.2",
      }
    : { name: "Not revoked: its jti looked up in the authorization server's records", rfc: "RFC 7009 §2", href: step.href };
}

/** The client's secrets and tokens as the browser may see them: RFC 6749 §2.3.1 (the secret), RFC 6750 §2.1 (bearer credentials). */
import { mask } from "../../events";

/**
 * How the walkthrough shows secrets it must not hand to the browser. The client secret shows four
 * characters, enough to recognise it and useless to an attacker; a token keeps the six-character
 * prefix and the length that the flow events show, so the learner can match a value across steps.
 */
export function secretPreview(secret: string): string {
  return secret.length >= 12 ? `${secret.slice(0, 4)}••••` : "••••";
}

/** A token as the browser may see it. */
export const tokenPreview = (token: string): string => mask(token);

/** An Authorization header with its credentials masked (RFC 6750 §2.1, RFC 7617 §2). */
export function authorizationPreview(header: string): string {
  const match = /^(Bearer|Basic|DPoP) (.+)$/i.exec(header);
  return match ? `${match[1]} ${mask(match[2])}` : mask(header);
}

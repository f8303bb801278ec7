/** Tokens an attacker can make without any key. */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The claims of a JWT, read without verifying (the attacker's view). */
export function claimsOf(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** An unsecured JWT (RFC 7519 §6): `alg: none`, no signature, any claims the attacker likes. */
export function unsignedToken(claims: Record<string, unknown>, typ = "at+jwt"): string {
  return `${b64({ alg: "none", typ })}.${b64(claims)}.`;
}

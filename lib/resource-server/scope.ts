import { ApiRefusal } from "./errors";

/** RFC 6749 §3.3: the scope claim is a space-separated list. */
export const scopesOf = (scope: string | undefined) => (scope ?? "").split(" ").filter(Boolean);

/** RFC 6750 §3.1: insufficient_scope (403), naming the scope the request needs; the challenge carries it too. */
export function requireScope(granted: readonly string[], required: string): void {
  if (!granted.includes(required)) {
    throw new ApiRefusal(
      "scope",
      "insufficient_scope",
      `This request needs the ${required} scope; the token grants: ${granted.join(" ") || "no scope"}.`,
    );
  }
}

import { OAuthError } from "../../oauth/errors";

export type Prompt = ReadonlySet<"none" | "login" | "consent">;

/** OpenID Connect Core §3.1.2.1: `prompt` is a space-delimited set; `none` stands alone. */
export function checkPrompt(value: string | undefined): Prompt {
  const prompt = new Set(value?.split(" ").filter(Boolean) ?? []);
  for (const p of prompt) {
    if (p !== "none" && p !== "login" && p !== "consent") throw new OAuthError("invalid_request", `prompt=${p} is not supported.`);
  }
  if (prompt.has("none") && prompt.size > 1) throw new OAuthError("invalid_request", "prompt=none cannot be combined with other values.");
  return prompt as Prompt;
}

/** OpenID Connect Core §3.1.2.1: `max_age`, in seconds, a non-negative integer. */
export function checkMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new OAuthError("invalid_request", "max_age must be a non-negative integer.");
  return Number(value);
}

import { z } from "zod";
import type { Config } from "../../config";
import type { RuntimeSettings } from "../../records/runtime-settings";

/**
 * The lifetimes an instructor may set for the whole room (workshop mode), stored in the shared
 * RuntimeSettings row and applied to every request by lib/server-context.ts. Short enough to watch a
 * code or a token expire within a minute; never longer than the RFC allows a code (10 minutes,
 * RFC 6749 §4.1.2).
 */

export const LIFETIMES = {
  codeTtlSeconds: { label: "Authorization code lifetime (seconds)", min: 5, max: 600, config: "codeTtl" },
  accessTokenTtlSeconds: { label: "Access token lifetime (seconds)", min: 5, max: 86_400, config: "accessTokenTtl" },
  refreshTokenTtlSeconds: { label: "Refresh token lifetime (seconds)", min: 10, max: 2_592_000, config: "refreshTokenTtl" },
} as const;

export type LifetimeName = keyof typeof LIFETIMES;
export const LIFETIME_NAMES = Object.keys(LIFETIMES) as LifetimeName[];
export type Lifetimes = Record<LifetimeName, number | null>;

/** Why a field was refused, in words the page shows. */
export function lifetimeError(name: LifetimeName): string {
  const { min, max, label } = LIFETIMES[name];
  return `${label.replace(" (seconds)", "")} must be a whole number of seconds from ${min} to ${max}, or empty for the configured one.`;
}

const field = (name: LifetimeName) => {
  const { min, max } = LIFETIMES[name];
  const message = lifetimeError(name);
  return z.union([
    z.literal("").transform(() => null),
    z
      .string()
      .regex(/^\d{1,8}$/, message)
      .transform(Number)
      .pipe(z.number().int().min(min, message).max(max, message)),
  ]);
};

const schema = z.object(Object.fromEntries(LIFETIME_NAMES.map((n) => [n, field(n)])) as Record<LifetimeName, ReturnType<typeof field>>);

/** The form's values: a number within bounds, or empty for the configured lifetime. */
export function parseLifetimes(form: URLSearchParams): { lifetimes: Lifetimes } | { error: string; field: LifetimeName } {
  const input = Object.fromEntries(LIFETIME_NAMES.map((n) => [n, (form.get(n) ?? "").trim()]));
  const result = schema.safeParse(input);
  if (!result.success) {
    const field = result.error.issues[0].path[0] as LifetimeName;
    return { error: lifetimeError(field), field };
  }
  return { lifetimes: result.data as Lifetimes };
}

/**
 * Lifetimes that contradict each other: a refresh token that dies before the access token it would renew
 * (RFC 6749 §6) could never be used for what it is for. Compared as they would take effect, an empty
 * field standing for the configured lifetime. Null when they agree.
 */
export function lifetimesConflict(
  lifetimes: Lifetimes,
  configured: Pick<Config, "accessTokenTtl" | "refreshTokenTtl">,
): { accessToken: number; refreshToken: number } | null {
  const accessToken = lifetimes.accessTokenTtlSeconds ?? configured.accessTokenTtl;
  const refreshToken = lifetimes.refreshTokenTtlSeconds ?? configured.refreshTokenTtl;
  return refreshToken < accessToken ? { accessToken, refreshToken } : null;
}

/** Why lifetimesConflict refused them, in words the page shows. */
export const conflictError = ({ accessToken, refreshToken }: { accessToken: number; refreshToken: number }) =>
  `Nothing was saved: a refresh token of ${refreshToken} s would expire before the access token of ${accessToken} s it is meant to renew. ` +
  "Make the refresh token's lifetime at least the access token's.";

/** "Use the configured lifetimes". */
export const CONFIGURED_LIFETIMES: Lifetimes = { codeTtlSeconds: null, accessTokenTtlSeconds: null, refreshTokenTtlSeconds: null };

/** What each lifetime is now, and whether the instructor set it. */
export function effectiveLifetimes(
  config: Config,
  settings: RuntimeSettings,
): Record<LifetimeName, { seconds: number; configured: number; overridden: boolean }> {
  return Object.fromEntries(
    LIFETIME_NAMES.map((n) => {
      const configured = config[LIFETIMES[n].config];
      const set = settings[n];
      return [n, { seconds: set ?? configured, configured, overridden: set !== null }];
    }),
  ) as Record<LifetimeName, { seconds: number; configured: number; overridden: boolean }>;
}

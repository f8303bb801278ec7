import type { Context } from "../oauth/context";
import type { FlowState, RecordKind, RecordState, RecordStateName, ServerRecord } from "../oauth/flow-state";
import { eventName } from "../event-recorder";
import { accessTokensOfRun } from "../records/access-token";
import { codesOfRun } from "../records/authorization-code";
import { runEventsNamed } from "../records/flow-event";
import { refreshTokensOfRun } from "../records/refresh-token";
import { runReadError } from "./flow-events";
import { readerOfRun, type RunAccessOptions } from "./run-access";

/**
 * The authorization server's own records of one run, laid open: its authorization code (RFC 6749
 * §4.1.2), the access tokens it issued (by jti, RFC 9068 §2.2) and the refresh-token family (RFC 9700
 * §4.14.2), each with its states over time. No secret leaves: a code or a refresh token is named only by
 * the first characters of its stored SHA-256 hash, an access token by its jti.
 */

/** How much of a stored hash is shown: enough to tell records apart, far too little to matter. */
export const HASH_PREFIX_LENGTH = 6;
export const hashLabel = (hash: string) => `hash ${hash.slice(0, HASH_PREFIX_LENGTH)}…`;

/** A short, stable name for a grant (the code's id), so a family can be told apart from another. */
export const grantLabel = (id: string) => id.slice(0, 8);

/** States that happen at the same instant are listed in the order they can happen. */
const ORDER: RecordStateName[] = ["issued", "consumed", "rotated", "revoked", "expired"];

type Row = { createdAt: Date; expiresAt: Date; consumedAt?: Date | null; rotatedAt?: Date | null; revokedAt?: Date | null };

/**
 * A record's states over time: issued at creation, first whatever the clocks say (a row written by a
 * test, or before a test clock moved, may carry an earlier instant for a later state); then consumed,
 * rotated, revoked, and expired once its expiry has passed, in the order they happened.
 */
export function timeline(row: Row, now: Date): RecordState[] {
  const later: { state: RecordStateName; at: Date }[] = [];
  if (row.consumedAt) later.push({ state: "consumed", at: row.consumedAt });
  if (row.rotatedAt) later.push({ state: "rotated", at: row.rotatedAt });
  if (row.revokedAt) later.push({ state: "revoked", at: row.revokedAt });
  if (row.expiresAt <= now) later.push({ state: "expired", at: row.expiresAt });
  later.sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
  return [{ state: "issued" as const, at: row.createdAt }, ...later].map((s) => ({ state: s.state, at: s.at.toISOString() }));
}

/**
 * What revoked a grant, from the authorization server's event of it (grants/authorization-code.ts,
 * grants/refresh-token.ts, revocation.ts). A grant's rows are revoked in one update at one instant, so
 * a record revoked at the grant's instant shares its cause; an access token revoked at another instant
 * was revoked by itself, at the revocation endpoint (RFC 7009 §2.1).
 */
const GRANT_REVOCATIONS: Record<string, string> = {
  [eventName("code.replayed")]: "a replay of the code",
  [eventName("refresh.reused")]: "reuse of a rotated refresh token",
  [eventName("grant.revoked")]: "a revocation request",
  [eventName("access.revoked-by-user")]: "the user, on their grants page",
};
/** An access token revoked by itself: its event names its jti. */
const TOKEN_REVOKED = eventName("token.revoked");

/** At most this many records of each kind (a run makes one code and a few tokens; a script could make more). */
const MAX_RECORDS = 50;

/** The run's records, oldest first. Only the columns below are read: no hash leaves this function whole. */
export async function loadFlowState(
  ctx: Pick<Context, "db" | "now">,
  correlationId: string,
  only: { clientId?: string } = {},
): Promise<FlowState> {
  const where = { correlationId, ...(only.clientId ? { clientId: only.clientId } : {}) };
  const [codes, accessTokens, refreshTokens] = await Promise.all([
    codesOfRun(ctx.db, where, MAX_RECORDS),
    accessTokensOfRun(ctx.db, where, MAX_RECORDS),
    refreshTokensOfRun(ctx.db, where, MAX_RECORDS),
  ]);
  // Causes are read from the run's events only when something was revoked, and a grant's only when the
  // run has one grant (events do not name it); anything else is shown revoked without a cause.
  const revokedGrant = codes.length === 1 ? codes[0].revokedAt : null;
  const causes =
    revokedGrant || accessTokens.some((t) => t.revokedAt)
      ? await runEventsNamed(
          ctx.db,
          { ...where, role: "authorization-server", names: [...Object.keys(GRANT_REVOCATIONS), TOKEN_REVOKED] },
          MAX_RECORDS,
        )
      : [];
  const grantCause = revokedGrant ? GRANT_REVOCATIONS[causes.find((e) => e.name in GRANT_REVOCATIONS)?.name ?? ""] : undefined;
  const revokedAlone = new Set(
    causes.filter((e) => e.name === TOKEN_REVOKED).map((e) => (JSON.parse(e.data) as { detail?: { jti?: string } }).detail?.jti),
  );
  const causeOf = (revokedAt: Date | null | undefined, jti?: string) => {
    if (!revokedAt) return undefined;
    if (revokedGrant && revokedAt.getTime() === revokedGrant.getTime()) return grantCause;
    return jti && revokedAlone.has(jti) ? "a revocation request" : undefined;
  };
  const record = (kind: RecordKind, label: string, grant: string, row: Row & { scope: string; jti?: string }): ServerRecord => {
    const cause = causeOf(row.revokedAt, row.jti);
    return {
      kind,
      label,
      grant: grantLabel(grant),
      scope: row.scope,
      expiresAt: row.expiresAt.toISOString(),
      states: timeline(row, ctx.now).map((s) => (s.state === "revoked" && cause ? { ...s, cause } : s)),
    };
  };
  return {
    correlationId,
    now: ctx.now.toISOString(),
    codes: codes.map((r) => record("authorization-code", hashLabel(r.codeHash), r.id, r)),
    accessTokens: accessTokens.map((r) => record("access-token", `jti ${r.jti}`, r.grantId, r)),
    refreshTokens: refreshTokens.map((r) => record("refresh-token", hashLabel(r.tokenHash), r.grantId, r)),
  };
}

/** GET or POST /api/flow-state: the run's records, to a reader that proved to belong to it (as for its flow events), never cached. */
export async function handleFlowState(request: Request, ctx: Context, options: RunAccessOptions = {}): Promise<Response> {
  try {
    const reader = await readerOfRun(request, ctx, options);
    return Response.json(await loadFlowState(ctx, reader.correlationId, reader), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return runReadError(error, ctx);
  }
}

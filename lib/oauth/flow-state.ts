/**
 * What GET /api/flow-state answers (lib/authorization-server/flow-state.ts): the authorization server's
 * records of one run, each with its states over time. Shared (lib/oauth/) by the server that writes it
 * and the clients that render it (the walkthrough, the lab): no role's code, only the wire format.
 */

export type RecordStateName = "issued" | "consumed" | "rotated" | "revoked" | "expired";
export type RecordState = {
  state: RecordStateName;
  at: string;
  /** Why a record was revoked, when the run's events say it: "a replay of the code", say. */
  cause?: string;
};
export type RecordKind = "authorization-code" | "access-token" | "refresh-token";

export type ServerRecord = {
  kind: RecordKind;
  /** `hash 3f2a9c…` for a code or refresh token, `jti …` for an access token. */
  label: string;
  /** The code's id: the grant of every token it produced, and so the refresh tokens' family. */
  grant: string;
  scope: string;
  expiresAt: string;
  /** Oldest first. */
  states: RecordState[];
};

export type FlowState = {
  correlationId: string;
  now: string;
  codes: ServerRecord[];
  accessTokens: ServerRecord[];
  refreshTokens: ServerRecord[];
};

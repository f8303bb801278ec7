import { createHash } from "node:crypto";
import { expect, obtainTokens, test } from "../support/fixtures";
import { oauthError, SECRETS, USERS } from "../support/oauth";

/**
 * GET /api/flow-state: the authorization server's own records of a run (code, access tokens, refresh
 * tokens) with their states over time. It is read like the run's flow events: with a proof that the
 * reader belongs to the run (its code_verifier, the client's authentication, or one of its access
 * tokens); it is never cached and holds no secret.
 */

type Record = { kind: string; label: string; grant: string; states: { state: string; at: string }[] };
type FlowState = { correlationId: string; now: string; codes: Record[]; accessTokens: Record[]; refreshTokens: Record[] };

const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");
const correlationIdFor = (challenge: string) => sha256(challenge).slice(0, 16);
const statesOf = (records: Record[]) => records.map((r) => r.states.map((s) => s.state));
const form = (fields: { [name: string]: string }): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

test("a run's records follow a refresh and a replay, read with the run's verifier and by token, never cached, with no secret", async ({
  as,
  issuer,
}) => {
  const run = await obtainTokens(as, "walkthrough");
  const correlation = correlationIdFor(run.pending.url.searchParams.get("code_challenge")!);
  const read = async () => {
    const response = await fetch(`${issuer}/api/flow-state`, form({ correlation, code_verifier: run.pending.codeVerifier }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    return (await response.json()) as FlowState;
  };

  const code = run.callback.searchParams.get("code")!;
  let state = await read();
  expect(state.correlationId).toBe(correlation);
  expect(state.codes).toEqual([expect.objectContaining({ kind: "authorization-code", label: `hash ${sha256(code).slice(0, 6)}…` })]);
  expect(statesOf(state.codes)).toEqual([["issued", "consumed"]]);
  expect(statesOf(state.accessTokens)).toEqual([["issued"]]);
  expect(statesOf(state.refreshTokens)).toEqual([["issued"]]);

  // An access token of the run names the run too (the way /api/flow-events is read).
  const byToken = await fetch(`${issuer}/api/flow-state`, { headers: { Authorization: `Bearer ${run.tokens.access_token}` } });
  expect(byToken.headers.get("cache-control")).toBe("no-store");
  expect(((await byToken.json()) as FlowState).correlationId).toBe(correlation);

  const refreshed = await run.backchannel.refresh(run.tokens.refresh_token!);
  state = await read();
  expect(statesOf(state.refreshTokens)).toEqual([["issued", "rotated"], ["issued"]]);
  expect(statesOf(state.accessTokens)).toEqual([["issued"], ["issued"]]);

  expect(await oauthError(run.backchannel.exchange(run.params, run.pending))).toMatchObject({ error: "invalid_grant" });
  state = await read();
  expect(statesOf(state.codes)).toEqual([["issued", "consumed", "revoked"]]);
  expect(statesOf(state.accessTokens)).toEqual([
    ["issued", "revoked"],
    ["issued", "revoked"],
  ]);
  expect(statesOf(state.refreshTokens)).toEqual([
    ["issued", "rotated", "revoked"],
    ["issued", "revoked"],
  ]);
  expect(new Set([...state.codes, ...state.accessTokens, ...state.refreshTokens].map((r) => r.grant)).size).toBe(1);

  const text = JSON.stringify(state);
  for (const secret of [
    SECRETS.walkthrough,
    USERS.alice.password,
    code,
    run.pending.codeVerifier,
    run.tokens.access_token,
    run.tokens.refresh_token!,
    run.tokens.id_token!,
    refreshed.access_token,
    refreshed.refresh_token!,
    sha256(code),
    sha256(run.tokens.refresh_token!),
    sha256(refreshed.refresh_token!),
  ]) {
    expect(text).not.toContain(secret);
  }
});

test("a run is named by a well-formed correlation id, and read only with a proof that the reader belongs to it", async ({ as, issuer }) => {
  for (const url of [`${issuer}/api/flow-state`, `${issuer}/api/flow-state?correlation=../../etc`]) {
    const response = await fetch(url);
    expect(response.status).toBe(url.includes("etc") ? 400 : 401);
    expect(response.headers.get("cache-control")).toBe("no-store");
  }
  const forged = await fetch(`${issuer}/api/flow-state`, { headers: { Authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." } });
  expect(forged.status).toBe(401);
  expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
  expect((await fetch(`${issuer}/api/flow-state`, { headers: { Authorization: "Basic eDp5" } })).status).toBe(401);

  const run = await obtainTokens(as, "walkthrough");
  const correlation = correlationIdFor(run.pending.url.searchParams.get("code_challenge")!);
  const refused = await fetch(`${issuer}/api/flow-state?correlation=${correlation}`);
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe("invalid_client");
  expect(
    (await fetch(`${issuer}/api/flow-state`, form({ correlation, code_verifier: `${run.pending.codeVerifier.slice(1)}x` }))).status,
  ).toBe(401);
  expect((await fetch(`${issuer}/api/flow-state`, form({ correlation, client_id: "walkthrough", client_secret: "wrong" }))).status).toBe(
    401,
  );
  const byClient = await fetch(
    `${issuer}/api/flow-state`,
    form({ correlation, client_id: "walkthrough", client_secret: SECRETS.walkthrough }),
  );
  expect(((await byClient.json()) as FlowState).codes).toHaveLength(1);
});

test("a revoked token no longer reads the run", async ({ as, issuer }) => {
  const run = await obtainTokens(as, "walkthrough");
  await run.backchannel.revoke(run.tokens.refresh_token!);
  const response = await fetch(`${issuer}/api/flow-state`, { headers: { Authorization: `Bearer ${run.tokens.access_token}` } });
  expect(response.status).toBe(401);
});

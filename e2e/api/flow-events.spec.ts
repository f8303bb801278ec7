import { createHash } from "node:crypto";
import { expect, obtainTokens, test } from "../support/fixtures";
import { SECRETS, USERS } from "../support/oauth";

/**
 * Every step is recorded as a flow event, with secrets masked (DESIGN.md, "Flow events"), and a run's
 * events are found by its correlation id (derived from the PKCE challenge) or by one of its tokens.
 */

type Events = { correlationId: string; events: { role: string; step: number; name: string; outcome: string; http?: unknown; detail?: unknown }[] };

const correlationIdFor = (challenge: string) => createHash("sha256").update(challenge).digest("base64url").slice(0, 16);

test("a run's events cover steps 1-5 and 7, are found by challenge and by token, and hold no secret", async ({ as, issuer }) => {
  const run = await obtainTokens(as, "walkthrough", { extra: { prompt: "login consent" } });
  const refreshed = await run.backchannel.refresh(run.tokens.refresh_token!);
  const correlation = correlationIdFor(run.pending.url.searchParams.get("code_challenge")!);

  const byChallenge = (await (await fetch(`${issuer}/api/flow-events?correlation=${correlation}`)).json()) as Events;
  expect(byChallenge.correlationId).toBe(correlation);
  const names = byChallenge.events.map((e) => `${e.step} ${e.name}`);
  expect(names).toEqual(expect.arrayContaining([
    "1 Authorization request accepted", "2 User signed in", "2 User granted consent",
    "3 Authorization response: redirect with a one-time code", "5 Tokens issued for the code",
    "7 Refresh token rotated, new access token issued",
  ]));
  expect(byChallenge.events.every((e) => e.role === "authorization-server")).toBe(true);

  const byToken = await fetch(`${issuer}/api/flow-events`, { headers: { Authorization: `Bearer ${refreshed.access_token}` } });
  expect(byToken.headers.get("cache-control")).toContain("no-store");
  expect(((await byToken.json()) as Events).correlationId).toBe(correlation);

  const text = JSON.stringify(byChallenge);
  const code = run.callback.searchParams.get("code")!;
  for (const secret of [SECRETS.walkthrough, USERS.alice.password, code, run.tokens.access_token, run.tokens.refresh_token!,
    run.tokens.id_token!, refreshed.access_token, refreshed.refresh_token!, run.pending.codeVerifier]) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain(code.slice(0, 6)); // a masked prefix, to match a value across steps
});

test("the API's and UserInfo's answers are recorded by their shape: no user data in the events", async ({ as, issuer }) => {
  const run = await obtainTokens(as, "walkthrough", { scope: "openid profile email notes:read notes:write" });
  const auth = { Authorization: `Bearer ${run.tokens.access_token}` };
  const note = `a private note ${Date.now()}`;
  expect((await fetch(`${issuer}/api/notes`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ text: note }) })).status).toBe(201);
  expect((await fetch(`${issuer}/api/notes`, { headers: auth })).status).toBe(200);
  expect((await fetch(`${issuer}/oauth/userinfo`, { headers: auth })).status).toBe(200);
  const events = JSON.stringify(await (await fetch(`${issuer}/api/flow-events`, { headers: auth })).json());
  expect(events).toContain("Resource server validated the token and served");
  expect(events).toContain("UserInfo served");
  for (const data of [note, USERS.alice.email, USERS.alice.name]) expect(events).not.toContain(data);
});

test("a run is named by a well-formed correlation id or a valid token", async ({ issuer }) => {
  expect((await fetch(`${issuer}/api/flow-events`)).status).toBe(400);
  expect((await fetch(`${issuer}/api/flow-events?correlation=../../etc`)).status).toBe(400);
  const forged = await fetch(`${issuer}/api/flow-events`, { headers: { Authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." } });
  expect(forged.status).toBe(401);
  expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
});

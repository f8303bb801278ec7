import { createHash } from "node:crypto";
import { authorize, expect, obtainTokens, test } from "../support/fixtures";
import { authorizationRequest, demoClient, SECRETS, USERS } from "../support/oauth";

/**
 * Every step is recorded as a flow event, with secrets masked (DESIGN.md, "Flow events"). A run's events
 * are named by its correlation id (derived from the PKCE challenge) and read only with a proof that the
 * reader belongs to the run: the run's code_verifier, the client's authentication, or one of its tokens.
 */

type Events = {
  correlationId: string;
  events: { role: string; step: number; name: string; outcome: string; http?: unknown; detail?: unknown }[];
};

const correlationIdFor = (challenge: string) => createHash("sha256").update(challenge).digest("base64url").slice(0, 16);
const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  body: new URLSearchParams(fields).toString(),
});
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

test("a run's events cover steps 1-5 and 7, are read with the run's verifier, the client's secret or a token, and hold no secret", async ({
  as,
  issuer,
}) => {
  const run = await obtainTokens(as, "walkthrough", { extra: { prompt: "login consent" } });
  const refreshed = await run.backchannel.refresh(run.tokens.refresh_token!);
  const correlation = correlationIdFor(run.pending.url.searchParams.get("code_challenge")!);

  const byChallenge = (await (
    await fetch(`${issuer}/api/flow-events`, form({ correlation, code_verifier: run.pending.codeVerifier }))
  ).json()) as Events;
  expect(byChallenge.correlationId).toBe(correlation);
  const names = byChallenge.events.map((e) => `${e.step} ${e.name}`);
  expect(names).toEqual(
    expect.arrayContaining([
      "1 Authorization request accepted",
      "2 User signed in",
      "2 User granted consent",
      "3 Authorization response: redirect with a one-time code",
      "5 Tokens issued for the code",
      "7 Refresh token rotated, new access token issued",
    ]),
  );
  expect(byChallenge.events.every((e) => e.role === "authorization-server")).toBe(true);

  const byToken = await fetch(`${issuer}/api/flow-events`, { headers: { Authorization: `Bearer ${refreshed.access_token}` } });
  expect(byToken.headers.get("cache-control")).toContain("no-store");
  expect(((await byToken.json()) as Events).correlationId).toBe(correlation);
  // The walkthrough client registered client_secret_post: its authentication, as at the token endpoint.
  const byClient = await fetch(
    `${issuer}/api/flow-events`,
    form({ correlation, client_id: "walkthrough", client_secret: SECRETS.walkthrough }),
  );
  expect(((await byClient.json()) as Events).events.map((e) => e.name)).toEqual(byChallenge.events.map((e) => e.name));

  const text = JSON.stringify(byChallenge);
  const code = run.callback.searchParams.get("code")!;
  for (const secret of [
    SECRETS.walkthrough,
    USERS.alice.password,
    code,
    run.tokens.access_token,
    run.tokens.refresh_token!,
    run.tokens.id_token!,
    refreshed.access_token,
    refreshed.refresh_token!,
    run.pending.codeVerifier,
  ]) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain(code.slice(0, 6)); // a masked prefix, to match a value across steps
});

test("the API's and UserInfo's answers are recorded by their shape: no user data in the events", async ({ as, issuer }) => {
  const run = await obtainTokens(as, "walkthrough", { scope: "openid profile email notes:read notes:write" });
  const auth = { Authorization: `Bearer ${run.tokens.access_token}` };
  const note = `a private note ${Date.now()}`;
  expect(
    (
      await fetch(`${issuer}/api/notes`, {
        method: "POST",
        headers: { ...auth, "Content-Type": "application/json" },
        body: JSON.stringify({ text: note }),
      })
    ).status,
  ).toBe(201);
  expect((await fetch(`${issuer}/api/notes`, { headers: auth })).status).toBe(200);
  expect((await fetch(`${issuer}/oauth/userinfo`, { headers: auth })).status).toBe(200);
  const events = JSON.stringify(await (await fetch(`${issuer}/api/flow-events`, { headers: auth })).json());
  expect(events).toContain("Resource server validated the token and served");
  expect(events).toContain("UserInfo served");
  for (const data of [note, USERS.alice.email, USERS.alice.name]) expect(events).not.toContain(data);
});

test("a run is named by a well-formed correlation id or a valid token", async ({ issuer }) => {
  expect((await fetch(`${issuer}/api/flow-events`, form({ client_id: "walkthrough", client_secret: SECRETS.walkthrough }))).status).toBe(
    400,
  );
  expect((await fetch(`${issuer}/api/flow-events?correlation=../../etc`)).status).toBe(400);
  const forged = await fetch(`${issuer}/api/flow-events`, { headers: { Authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." } });
  expect(forged.status).toBe(401);
  expect(forged.headers.get("www-authenticate")).toContain('error="invalid_token"');
});

test("knowing a run's correlation id is not enough: no proof, a wrong secret, a wrong verifier or another run's token is refused", async ({
  as,
  issuer,
}) => {
  const run = await obtainTokens(as, "walkthrough");
  const other = await obtainTokens(as, "walkthrough");
  const correlation = correlationIdFor(run.pending.url.searchParams.get("code_challenge")!);
  const refusal = async (response: Response) => ({ status: response.status, error: ((await response.json()) as { error?: string }).error });

  expect(await refusal(await fetch(`${issuer}/api/flow-events?correlation=${correlation}`))).toEqual({
    status: 401,
    error: "invalid_client",
  });
  expect(await refusal(await fetch(`${issuer}/api/flow-events`, form({ correlation })))).toEqual({ status: 401, error: "invalid_client" });
  expect(
    await refusal(
      await fetch(`${issuer}/api/flow-events`, form({ correlation, client_id: "walkthrough", client_secret: "not-the-secret" })),
    ),
  ).toEqual({ status: 401, error: "invalid_client" });
  expect(
    await refusal(
      await fetch(`${issuer}/api/flow-events`, form({ correlation }, { Authorization: basic("nextauth-demo", "not-the-secret") })),
    ),
  ).toEqual({ status: 401, error: "invalid_client" });
  expect(await refusal(await fetch(`${issuer}/api/flow-events`, form({ correlation, code_verifier: other.pending.codeVerifier })))).toEqual(
    { status: 401, error: "invalid_client" },
  );
  expect(
    await refusal(
      await fetch(`${issuer}/api/flow-events?correlation=${correlation}`, {
        headers: { Authorization: `Bearer ${other.tokens.access_token}` },
      }),
    ),
  ).toEqual({ status: 401, error: "invalid_token" });
  // Another client, with its own secret, reads nothing of this run.
  const nextauth = await fetch(
    `${issuer}/api/flow-events`,
    form({ correlation }, { Authorization: basic("nextauth-demo", SECRETS["nextauth-demo"]) }),
  );
  expect(((await nextauth.json()) as Events).events).toEqual([]);
  // A verifier or a secret never travels in a URL.
  expect(
    await refusal(await fetch(`${issuer}/api/flow-events?correlation=${correlation}&code_verifier=${run.pending.codeVerifier}`)),
  ).toEqual({ status: 400, error: "invalid_request" });
});

test("a run whose user denied consent tells the client nothing of who signed in", async ({ as, issuer }) => {
  const flow = await authorize(as, "walkthrough", { decision: "deny", extra: { prompt: "consent" } });
  expect(flow.callback.searchParams.get("error")).toBe("access_denied");
  const correlation = correlationIdFor(flow.pending.url.searchParams.get("code_challenge")!);
  const response = await fetch(`${issuer}/api/flow-events`, form({ correlation, code_verifier: flow.pending.codeVerifier }));
  const body = (await response.json()) as { events: { name: string; userId: string | null }[] };
  expect(body.events.map((e) => e.name)).toEqual(expect.arrayContaining(["User signed in", "User denied consent"]));
  expect(body.events.every((e) => e.userId === null)).toBe(true);
  expect(JSON.stringify(body)).not.toContain(USERS.alice.username);
});

test("what a client wrongly put in an authorization URL is masked before it is stored, and no stored field exceeds 2 KB", async ({
  as,
  issuer,
}) => {
  const read = async (pending: { url: URL; codeVerifier: string }) => {
    const correlation = correlationIdFor(pending.url.searchParams.get("code_challenge")!);
    const response = await fetch(`${issuer}/api/flow-events`, form({ correlation, code_verifier: pending.codeVerifier }));
    return (await response.json()) as { events: { name: string; http?: { request?: { url?: string } } }[] };
  };

  const secrets = {
    client_secret: SECRETS.walkthrough,
    code_verifier: "v".repeat(50),
    access_token: "a".repeat(60),
    refresh_token: "r".repeat(60),
    id_token: "i".repeat(60),
  };
  const leaky = await authorizationRequest(as, demoClient("walkthrough", issuer), { extra: secrets });
  expect((await fetch(leaky.url, { redirect: "manual" })).status).toBeLessThan(500);
  const stored = JSON.stringify(await read(leaky));
  expect(stored).toContain("Authorization request accepted");
  for (const value of Object.values(secrets)) expect(stored).not.toContain(value);

  // One anonymous request for an unknown client, 8 KB long: its event is cut at 2 KB, with a marker.
  const huge = await authorizationRequest(as, demoClient("walkthrough", issuer), {
    extra: { client_id: "no-such-client", junk: "j".repeat(3000), more: "m".repeat(3000), rest: "k".repeat(2000) },
  });
  expect(huge.url.href.length).toBeGreaterThan(8000);
  expect((await fetch(huge.url, { redirect: "manual" })).status).toBe(400);
  const [refused] = (await read(huge)).events;
  expect(refused.name).toBe("Authorization request refused");
  expect(Buffer.byteLength(JSON.stringify(refused))).toBeLessThan(2600);
  expect(refused.http?.request?.url).toMatch(/…\[truncated: \d+ bytes\]$/);
});

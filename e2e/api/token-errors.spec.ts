import * as oauth from "oauth4webapi";
import { authorize, expect, test } from "../support/fixtures";
import { Backchannel, demoClient, expectNoStore, httpOptions, oauthError, SECRETS, type DemoClient } from "../support/oauth";

/**
 * The token endpoint's refusals (RFC 6749 §5.2, RFC 7636 §4.6, RFC 9700): the right error code and
 * status, a JSON body without internals, Cache-Control: no-store, and never a 5xx.
 */

/** A raw POST to the token endpoint, for what a standard client would never send. */
async function postToken(
  as: oauth.AuthorizationServer,
  body: BodyInit,
  headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" },
) {
  const response = await fetch(as.token_endpoint!, { method: "POST", headers, body });
  expectNoStore(response);
  expect(response.status, "never a server error").toBeLessThan(500);
  const text = await response.text();
  expect(text, "no stack trace or internals").not.toMatch(/\n\s+at |Error:|node_modules|\.tsx?:\d+|prisma/i);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: response.status, body: JSON.parse(text) as { error?: string; error_description?: string }, response };
}

/** A code issued to `clientId`, ready to be redeemed (or misused). */
async function freshCode(as: oauth.AuthorizationServer, clientId: Parameters<typeof authorize>[1]) {
  const flow = await authorize(as, clientId);
  return { ...flow, params: flow.backchannel.callback(flow.callback, flow.pending.state) };
}

const walkthroughForm = (fields: Record<string, string>) =>
  new URLSearchParams({ client_id: "walkthrough", client_secret: SECRETS.walkthrough, ...fields });

test.describe("the code exchange", () => {
  test("a wrong code_verifier -> invalid_grant", async ({ as }) => {
    const { backchannel, params, pending } = await freshCode(as, "walkthrough");
    const error = await oauthError(backchannel.exchange(params, { ...pending, codeVerifier: oauth.generateRandomCodeVerifier() }));
    expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
  });

  test("a missing code_verifier -> invalid_grant", async ({ as }) => {
    const { backchannel, params, pending } = await freshCode(as, "nextauth-demo");
    const error = await oauthError(
      oauth.processAuthorizationCodeResponse(
        as,
        backchannel.client.client,
        await backchannel.exchangeRaw(params, pending.redirectUri, oauth.nopkce),
      ),
    );
    expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
  });

  test("a malformed code_verifier -> invalid_grant", async ({ as }) => {
    const { backchannel, params, pending } = await freshCode(as, "public-demo");
    const error = await oauthError(backchannel.exchange(params, { ...pending, codeVerifier: "short" }));
    expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
  });

  test("the code_challenge itself as the verifier (plain downgrade) -> invalid_grant", async ({ as }) => {
    const { backchannel, params, pending } = await freshCode(as, "walkthrough");
    const challenge = pending.url.searchParams.get("code_challenge")!;
    const error = await oauthError(backchannel.exchange(params, { ...pending, codeVerifier: challenge }));
    expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
  });

  const redirectMismatches: [string, (issuer: string, registered: string) => string][] = [
    ["with a trailing slash", (_, registered) => `${registered}/`],
    ["another URI registered for the same client", () => "http://127.0.0.1:8976/callback"],
    ["with an extra query parameter", (_, registered) => `${registered}?x=1`],
  ];
  for (const [name, redirectUri] of redirectMismatches) {
    test(`redirect_uri at the token endpoint ${name} -> invalid_grant`, async ({ as, issuer }) => {
      const { backchannel, params, pending } = await freshCode(as, "public-demo");
      const error = await oauthError(backchannel.exchange(params, { ...pending, redirectUri: redirectUri(issuer, pending.redirectUri) }));
      expect(error).toMatchObject({ error: "invalid_grant", status: 400 });
    });
  }

  test("a missing redirect_uri -> invalid_request", async ({ as }) => {
    const { params, pending } = await freshCode(as, "walkthrough");
    const { status, body } = await postToken(
      as,
      walkthroughForm({
        grant_type: "authorization_code",
        code: params.get("code")!,
        code_verifier: pending.codeVerifier,
      }),
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  test("a code issued to another client -> invalid_grant, and the rightful client can still redeem it", async ({ as, issuer }) => {
    const { backchannel, params, pending } = await freshCode(as, "walkthrough");
    const thief = new Backchannel(as, demoClient("nextauth-demo", issuer));
    expect(await oauthError(thief.exchange(params, pending))).toMatchObject({ error: "invalid_grant", status: 400 });
    const publicThief = new Backchannel(as, demoClient("public-demo", issuer));
    expect(await oauthError(publicThief.exchange(params, pending))).toMatchObject({ error: "invalid_grant", status: 400 });

    const tokens = await backchannel.exchange(params, pending);
    expect(tokens.access_token).toBeTruthy();
  });

  test("an unknown code -> invalid_grant", async ({ as }) => {
    const { pending } = await freshCode(as, "walkthrough");
    const { status, body } = await postToken(
      as,
      walkthroughForm({
        grant_type: "authorization_code",
        code: oauth.generateRandomCodeVerifier().slice(0, 43),
        redirect_uri: pending.redirectUri,
        code_verifier: pending.codeVerifier,
      }),
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_grant");
  });
});

test.describe("client authentication", () => {
  test("a wrong client_secret with client_secret_post -> 401 invalid_client", async ({ as, issuer }) => {
    const { params, pending } = await freshCode(as, "walkthrough");
    const impostor: DemoClient = { ...demoClient("walkthrough", issuer), auth: oauth.ClientSecretPost("wrong-secret") };
    const error = await oauthError(new Backchannel(as, impostor).exchange(params, pending));
    expect(error).toMatchObject({ error: "invalid_client", status: 401 });
    expect(error.response.headers.get("www-authenticate")).toBeNull();
  });

  test("a wrong client_secret with client_secret_basic -> 401 invalid_client with a Basic challenge", async ({ as, issuer }) => {
    const { params, pending } = await freshCode(as, "nextauth-demo");
    const impostor: DemoClient = { ...demoClient("nextauth-demo", issuer), auth: oauth.ClientSecretBasic("wrong-secret") };
    const error = await oauthError(new Backchannel(as, impostor).exchange(params, pending));
    expect(error).toMatchObject({ error: "invalid_client", status: 401 });
    expect(error.response.headers.get("www-authenticate")).toMatch(/^Basic\b/);
    expect(error.challenges?.[0]?.scheme).toBe("basic");
  });

  test("a confidential client without its secret -> 401 invalid_client", async ({ as, issuer }) => {
    const { params, pending } = await freshCode(as, "walkthrough");
    const impostor: DemoClient = { ...demoClient("walkthrough", issuer), auth: oauth.None() };
    expect(await oauthError(new Backchannel(as, impostor).exchange(params, pending))).toMatchObject({
      error: "invalid_client",
      status: 401,
    });
  });

  test("a client using another method than it registered -> 401 invalid_client", async ({ as, issuer }) => {
    const { params, pending } = await freshCode(as, "walkthrough");
    // walkthrough registered client_secret_post; the right secret sent with Basic is refused.
    const impostor: DemoClient = { ...demoClient("walkthrough", issuer), auth: oauth.ClientSecretBasic(SECRETS.walkthrough) };
    const error = await oauthError(new Backchannel(as, impostor).exchange(params, pending));
    expect(error).toMatchObject({ error: "invalid_client", status: 401 });
    expect(error.response.headers.get("www-authenticate")).toMatch(/^Basic\b/);
  });

  test("an unknown client -> 401 invalid_client", async ({ as }) => {
    const { status, body } = await postToken(
      as,
      new URLSearchParams({
        grant_type: "authorization_code",
        client_id: "no-such-client",
        client_secret: "x",
        code: "x",
        redirect_uri: `${as.issuer}/walkthrough/callback`,
      }),
    );
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
  });

  test("two authentication methods at once -> invalid_request", async ({ as }) => {
    const { status, body } = await postToken(as, walkthroughForm({ grant_type: "refresh_token", refresh_token: "x" }), {
      "Content-Type": "application/x-www-form-urlencoded",
      Authorization: `Basic ${Buffer.from(`walkthrough:${SECRETS.walkthrough}`).toString("base64")}`,
    });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });
});

test.describe("grant types", () => {
  test("grant_type=password -> unsupported_grant_type", async ({ as, issuer }) => {
    const client = demoClient("walkthrough", issuer);
    const response = await oauth.genericTokenEndpointRequest(
      as,
      client.client,
      client.auth,
      "password",
      { username: "alice", password: "alice-demo-password", scope: "openid" },
      httpOptions(as.token_endpoint),
    );
    const error = await oauthError(oauth.processGenericTokenEndpointResponse(as, client.client, response));
    expect(error).toMatchObject({ error: "unsupported_grant_type", status: 400 });
  });

  test("grant_type=client_credentials -> unsupported_grant_type", async ({ as, issuer }) => {
    const client = demoClient("nextauth-demo", issuer);
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client.client,
      client.auth,
      { scope: "notes:read" },
      httpOptions(as.token_endpoint),
    );
    const error = await oauthError(oauth.processClientCredentialsResponse(as, client.client, response));
    expect(error).toMatchObject({ error: "unsupported_grant_type", status: 400 });
  });

  for (const grantType of [
    "implicit",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "__proto__",
    "constructor",
  ]) {
    test(`grant_type=${grantType} -> unsupported_grant_type`, async ({ as }) => {
      const { status, body } = await postToken(as, walkthroughForm({ grant_type: grantType }));
      expect(status).toBe(400);
      expect(body.error).toBe("unsupported_grant_type");
    });
  }
});

test.describe("malformed requests: 400 with a JSON error, no internals, never 5xx", () => {
  test("a repeated parameter -> invalid_request", async ({ as }) => {
    const body = walkthroughForm({ grant_type: "authorization_code", code: "a", redirect_uri: `${as.issuer}/walkthrough/callback` });
    body.append("code", "b");
    const { status, body: error } = await postToken(as, body);
    expect(status).toBe(400);
    expect(error.error).toBe("invalid_request");
  });

  test("a repeated grant_type -> invalid_request", async ({ as }) => {
    const body = walkthroughForm({ grant_type: "refresh_token", refresh_token: "x" });
    body.append("grant_type", "refresh_token");
    const { status, body: error } = await postToken(as, body);
    expect(status).toBe(400);
    expect(error.error).toBe("invalid_request");
  });

  test("a JSON body -> invalid_request", async ({ as }) => {
    const { status, body } = await postToken(
      as,
      JSON.stringify({ grant_type: "refresh_token", refresh_token: "x", client_id: "walkthrough", client_secret: SECRETS.walkthrough }),
      { "Content-Type": "application/json" },
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  test("no Content-Type -> invalid_request", async ({ as }) => {
    const { status, body } = await postToken(
      as,
      new Blob([walkthroughForm({ grant_type: "refresh_token", refresh_token: "x" }).toString()]),
      {},
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  test("an oversized value (5000 characters) -> invalid_request", async ({ as }) => {
    const { status, body } = await postToken(as, walkthroughForm({ grant_type: "refresh_token", refresh_token: "r".repeat(5000) }));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  test("a missing grant_type -> invalid_request", async ({ as }) => {
    const { status, body } = await postToken(as, walkthroughForm({ code: "x" }));
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  test("a missing code -> invalid_request", async ({ as }) => {
    const { status, body } = await postToken(
      as,
      walkthroughForm({ grant_type: "authorization_code", redirect_uri: `${as.issuer}/walkthrough/callback` }),
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  const garbage: [string, BodyInit, Record<string, string>][] = [
    ["an empty body", "", { "Content-Type": "application/x-www-form-urlencoded" }],
    [
      "broken percent-encoding",
      "grant_type=%E0%A4%A&client_id=%%%&client_secret=%zz",
      { "Content-Type": "application/x-www-form-urlencoded" },
    ],
    [
      "NUL bytes and unicode",
      "grant_type=authorization_code%00&client_id=walkthrough&client_secret=walkthrough-demo-secret&code=%F0%9F%94%91",
      { "Content-Type": "application/x-www-form-urlencoded" },
    ],
    [
      "a malformed Basic header",
      "grant_type=refresh_token&refresh_token=x",
      { "Content-Type": "application/x-www-form-urlencoded", Authorization: "Basic !!!" },
    ],
    [
      "a Basic header without a colon",
      "grant_type=refresh_token&refresh_token=x",
      { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${Buffer.from("walkthrough").toString("base64")}` },
    ],
    [
      "a Basic header with broken percent-encoding",
      "grant_type=refresh_token&refresh_token=x",
      { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${Buffer.from("%zz:%zz").toString("base64")}` },
    ],
    [
      "a multipart body",
      '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nrefresh_token\r\n--x--',
      { "Content-Type": "multipart/form-data; boundary=x" },
    ],
    ["a huge body", `grant_type=refresh_token&pad=${"p".repeat(70_000)}`, { "Content-Type": "application/x-www-form-urlencoded" }],
  ];
  for (const [name, body, headers] of garbage) {
    test(`${name} -> a 4xx JSON error`, async ({ as }) => {
      const { status, body: error } = await postToken(as, body, headers);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(error.error).toMatch(/^(invalid_request|invalid_client|invalid_grant|unsupported_grant_type)$/);
    });
  }

  test("GET on the token endpoint is not a token request", async ({ as }) => {
    const response = await fetch(`${as.token_endpoint}?grant_type=refresh_token&refresh_token=x`);
    expect(response.status).toBe(405);
  });
});

test("Cache-Control: no-store on every token response, success and error (RFC 6749 §5.1, §5.2)", async ({ as, issuer }) => {
  // Successful responses are checked by httpOptions() on every oauth4webapi token request in this suite;
  // here each kind of error is checked once more, explicitly.
  const { backchannel, params, pending } = await freshCode(as, "walkthrough");
  const ok = await backchannel.exchangeRaw(params, pending.redirectUri, pending.codeVerifier);
  expect(ok.status).toBe(200);
  expect(ok.headers.get("cache-control")).toContain("no-store");
  const replay = await backchannel.exchangeRaw(params, pending.redirectUri, pending.codeVerifier);
  expect(replay.status).toBe(400);
  expect(replay.headers.get("cache-control")).toContain("no-store");

  const impostor = new Backchannel(as, { ...demoClient("nextauth-demo", issuer), auth: oauth.ClientSecretBasic("wrong") });
  const unauthorized = await impostor.refreshRaw("x");
  expect(unauthorized.status).toBe(401);
  expect(unauthorized.headers.get("cache-control")).toContain("no-store");

  for (const [body, headers] of [
    [walkthroughForm({ grant_type: "password" }).toString(), { "Content-Type": "application/x-www-form-urlencoded" }],
    ["{}", { "Content-Type": "application/json" }],
  ] as const) {
    const response = await fetch(as.token_endpoint!, { method: "POST", headers, body });
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toContain("no-store");
  }
});

import * as oauth from "oauth4webapi";
import { expect, obtainTokens, test } from "../support/fixtures";
import { demoClient, discover, httpOptions, introspect } from "../support/oauth";
import { startServer } from "../support/server";

/**
 * RFC 7662 §4: introspection answers a client about its own tokens only; the protected resource
 * (`resource-server`, INTROSPECTION_CLIENTS) may introspect every client's tokens. Public clients
 * cannot introspect at all.
 */

async function introspectAs(as: oauth.AuthorizationServer, clientId: "walkthrough" | "nextauth-demo", token: string) {
  const { client, auth } = demoClient(clientId, as.issuer);
  return oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, token, httpOptions()));
}

test("a client sees its own tokens, not another client's; the protected resource sees both", async ({ as }) => {
  const { tokens } = await obtainTokens(as, "nextauth-demo", { scope: "openid offline_access notes:read" });
  expect(await introspectAs(as, "nextauth-demo", tokens.access_token)).toMatchObject({
    active: true,
    client_id: "nextauth-demo",
    scope: "openid offline_access notes:read",
  });
  expect(await introspectAs(as, "nextauth-demo", tokens.refresh_token!)).toMatchObject({ active: true, client_id: "nextauth-demo" });
  expect(await introspectAs(as, "walkthrough", tokens.access_token)).toEqual({ active: false });
  expect(await introspectAs(as, "walkthrough", tokens.refresh_token!)).toEqual({ active: false });
  expect(await introspect(as, tokens.access_token)).toMatchObject({ active: true, client_id: "nextauth-demo" });
});

test("a public client cannot introspect (401 invalid_client)", async ({ issuer }) => {
  const response = await fetch(`${issuer}/oauth/introspect`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: "public-demo", token: "x" }),
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ error: "invalid_client" });
});

test("by default nobody may introspect every token: the resource-server client, whose demo secret is published, is not registered", async () => {
  test.setTimeout(120_000);
  const server = await startServer({ INTROSPECTION_CLIENTS: "", RS_CLIENT_SECRET: "" });
  try {
    const as = await discover(server.baseURL);
    for (const secret of ["resource-server-demo-secret", "e2e-resource-server-secret"]) {
      const response = await oauth.introspectionRequest(
        as,
        { client_id: "resource-server" },
        oauth.ClientSecretBasic(secret),
        "any-token",
        httpOptions(),
      );
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: "invalid_client" });
    }
  } finally {
    await server.stop();
  }
});

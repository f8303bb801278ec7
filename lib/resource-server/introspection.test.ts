import { describe, expect, it } from "vitest";
import { AuthorizationServerUnavailable } from "./errors";
import { introspector, RS_CLIENT_ID } from "./introspection";

/** RFC 7662 §2.1: the API's introspection request, seen by a fake authorization server. */

let n = 0;

function fakeIntrospectionEndpoint(answer: (request: Request) => Response | Promise<Response>) {
  const issuer = `https://introspect${++n}.example`;
  const seen: Request[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.url === `${issuer}/.well-known/oauth-authorization-server`) {
      return Response.json({ issuer, jwks_uri: `${issuer}/oauth/jwks`, introspection_endpoint: `${issuer}/oauth/introspect` });
    }
    seen.push(request);
    return answer(request);
  }) as typeof fetch;
  return { issuer, seen, fetchImpl };
}

describe("introspection", () => {
  it("POSTs the token as a form, authenticated as the resource-server client with Basic", async () => {
    const as = fakeIntrospectionEndpoint(() => Response.json({ active: true, jti: "j1", scope: "notes:read" }));
    const introspect = introspector(as.issuer, "s3cret:with+special", as.fetchImpl);
    expect(await introspect("the-token")).toMatchObject({ active: true, jti: "j1" });
    const [request] = as.seen;
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`${as.issuer}/oauth/introspect`);
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    const decoded = Buffer.from(request.headers.get("authorization")!.replace(/^Basic /, ""), "base64").toString();
    expect(decoded).toBe(`${RS_CLIENT_ID}:s3cret%3Awith%2Bspecial`);
    expect(Object.fromEntries(new URLSearchParams(await request.text()))).toEqual({ token: "the-token", token_type_hint: "access_token" });
  });

  it("treats anything but active: true as inactive", async () => {
    for (const body of [{ active: false }, { active: "true" }, {}, null]) {
      const as = fakeIntrospectionEndpoint(() => Response.json(body));
      expect((await introspector(as.issuer, "secret", as.fetchImpl)("t")).active).toBe(false);
    }
  });

  it("an error from the endpoint (a wrong secret, say) is a 503, never an active token", async () => {
    const as = fakeIntrospectionEndpoint(() => Response.json({ error: "invalid_client" }, { status: 401 }));
    await expect(introspector(as.issuer, "wrong", as.fetchImpl)("t")).rejects.toBeInstanceOf(AuthorizationServerUnavailable);
  });
});

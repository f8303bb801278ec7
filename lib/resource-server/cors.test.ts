import { describe, expect, it } from "vitest";
import { testConfig } from "../../test/support/db";
import { corsHeaders, corsPreflight } from "./cors";

const config = testConfig({ RS_CORS_ORIGINS: "http://localhost:3000, https://spa.example" });
const preflight = (origin?: string) =>
  new Request("http://localhost:3000/api/notes", {
    method: "OPTIONS",
    headers: {
      ...(origin ? { Origin: origin } : {}),
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization,content-type",
    },
  });

describe("CORS (Fetch Standard §3.2)", () => {
  it("answers a preflight from an allowed origin with exactly what the API accepts, and no credentials", () => {
    const response = corsPreflight(preflight("https://spa.example"), config);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": "https://spa.example",
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "Authorization, Content-Type, DPoP",
      vary: "Origin",
    });
    expect(response.headers.has("access-control-allow-credentials")).toBe(false);
  });

  it("gives a disallowed origin no Access-Control-Allow-Origin, so its browser stops", () => {
    for (const origin of ["https://evil.example", "https://spa.example.evil.example", "null", "https://SPA.example"]) {
      const response = corsPreflight(preflight(origin), config);
      expect(response.headers.has("access-control-allow-origin")).toBe(false);
      expect(response.headers.has("access-control-allow-methods")).toBe(false);
      expect(response.headers.get("vary")).toBe("Origin");
    }
  });

  it("names only the route's methods", () => {
    expect(corsPreflight(preflight("https://spa.example"), config, ["GET"]).headers.get("access-control-allow-methods")).toBe("GET");
  });

  it("allows the app's own origin by default", () => {
    expect(testConfig().rsCorsOrigins).toEqual(["http://localhost:3000"]);
    expect(corsHeaders(preflight("http://localhost:3000"), testConfig())["Access-Control-Allow-Origin"]).toBe("http://localhost:3000");
  });

  it("exposes WWW-Authenticate on actual responses to an allowed origin", () => {
    const headers = corsHeaders(new Request("http://localhost:3000/api/me", { headers: { Origin: "https://spa.example" } }), config);
    expect(headers).toEqual({
      "Access-Control-Allow-Origin": "https://spa.example",
      "Access-Control-Expose-Headers": "WWW-Authenticate, Location, DPoP-Nonce",
      Vary: "Origin",
    });
    expect(corsHeaders(new Request("http://localhost:3000/api/me"), config)).toEqual({ Vary: "Origin" });
  });
});

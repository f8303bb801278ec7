import { describe, expect, it } from "vitest";
import { ConfigError, configWarnings, DEMO_RS_CLIENT_SECRET, parseConfig } from "../config";

/** The resource server's variables in lib/config.ts. */
describe("resource server configuration", () => {
  it("has safe defaults: the app's own issuer and origin, jti checks, the demo secret", () => {
    const c = parseConfig({ APP_URL: "https://lab.example/" });
    expect(c).toMatchObject({
      rsIssuer: "https://lab.example",
      rsRevocationCheck: "jti",
      rsClientSecret: DEMO_RS_CLIENT_SECRET,
      rsCorsOrigins: ["https://lab.example"],
    });
    expect(parseConfig({ APP_URL: "https://lab.example/sub" }).rsCorsOrigins).toEqual(["https://lab.example"]);
  });

  it("reads RS_ISSUER, RS_REVOCATION_CHECK, RS_CLIENT_SECRET and RS_CORS_ORIGINS", () => {
    const c = parseConfig({
      RS_ISSUER: "https://as.example/",
      RS_REVOCATION_CHECK: "introspection",
      RS_CLIENT_SECRET: "x".repeat(20),
      RS_CORS_ORIGINS: "https://a.example, http://localhost:5173",
    });
    expect(c).toMatchObject({
      rsIssuer: "https://as.example",
      rsRevocationCheck: "introspection",
      rsClientSecret: "x".repeat(20),
      rsCorsOrigins: ["https://a.example", "http://localhost:5173"],
    });
  });

  it.each([
    ["RS_REVOCATION_CHECK", "none"],
    ["RS_CORS_ORIGINS", "*"],
    ["RS_CORS_ORIGINS", "https://a.example/path"],
    ["RS_CORS_ORIGINS", "https://a.example/"],
    ["RS_CORS_ORIGINS", "https://a.example,"],
    ["RS_CORS_ORIGINS", "ftp://a.example"],
    ["RS_ISSUER", "not a url"],
    ["RS_CLIENT_SECRET", "short"],
  ])("refuses %s=%j, naming the variable", (variable, value) => {
    expect(() => parseConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [variable]: value })).toThrow(new RegExp(`^\\s*${variable}: `, "m"));
  });

  it("lets nobody introspect every token by default; resource-server only when introspection is the revocation check", () => {
    expect(parseConfig({}).introspectionClients).toEqual([]);
    expect(parseConfig({ RS_REVOCATION_CHECK: "introspection", NODE_ENV: "test" }).introspectionClients).toEqual(["resource-server"]);
    expect(parseConfig({ INTROSPECTION_CLIENTS: "resource-server,audit", NODE_ENV: "test" }).introspectionClients).toEqual([
      "resource-server",
      "audit",
    ]);
  });

  it("refuses the published demo introspection secret outside development, whenever resource-server may introspect", () => {
    const env = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) };
    for (const extra of [{ RS_REVOCATION_CHECK: "introspection" }, { INTROSPECTION_CLIENTS: "resource-server" }]) {
      expect(() => parseConfig({ ...env, ...extra })).toThrow(/^\s*RS_CLIENT_SECRET: must be set outside development/m);
      expect(parseConfig({ ...env, ...extra, RS_CLIENT_SECRET: "s".repeat(20) }).rsClientSecret).toBe("s".repeat(20));
      expect(parseConfig({ ...extra, NODE_ENV: "development" }).rsClientSecret).toBe(DEMO_RS_CLIENT_SECRET);
    }
    expect(configWarnings(env, parseConfig(env))).toEqual([]);
  });
});

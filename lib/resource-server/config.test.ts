import { describe, expect, it } from "vitest";
import { ConfigError, configWarnings, DEMO_RS_CLIENT_SECRET, parseConfig } from "../config";

/** The resource server's variables in lib/config.ts. */
describe("resource server configuration", () => {
  it("has safe defaults: the app's own issuer and origin, jti checks, the demo secret", () => {
    const c = parseConfig({ APP_URL: "https://lab.example/" });
    expect(c).toMatchObject({ rsIssuer: "https://lab.example", rsRevocationCheck: "jti", rsClientSecret: DEMO_RS_CLIENT_SECRET, rsCorsOrigins: ["https://lab.example"] });
    expect(parseConfig({ APP_URL: "https://lab.example/sub" }).rsCorsOrigins).toEqual(["https://lab.example"]);
  });

  it("reads RS_ISSUER, RS_REVOCATION_CHECK, RS_CLIENT_SECRET and RS_CORS_ORIGINS", () => {
    const c = parseConfig({
      RS_ISSUER: "https://as.example/", RS_REVOCATION_CHECK: "introspection", RS_CLIENT_SECRET: "x".repeat(20),
      RS_CORS_ORIGINS: "https://a.example, http://localhost:5173",
    });
    expect(c).toMatchObject({ rsIssuer: "https://as.example", rsRevocationCheck: "introspection", rsClientSecret: "x".repeat(20), rsCorsOrigins: ["https://a.example", "http://localhost:5173"] });
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

  it("warns about the demo introspection secret outside development, only when introspection is on", () => {
    const env = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), RS_REVOCATION_CHECK: "introspection" };
    expect(configWarnings(env, parseConfig(env))).toEqual([expect.stringMatching(/^RS_CLIENT_SECRET is not set/)]);
    const jti = { ...env, RS_REVOCATION_CHECK: "jti" };
    expect(configWarnings(jti, parseConfig(jti))).toEqual([]);
  });
});

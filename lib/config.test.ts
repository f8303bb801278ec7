import { describe, expect, it } from "vitest";
import { ConfigError, configWarnings, parseConfig } from "./config";
import { DEFAULT_DATABASE_URL } from "./database-url";

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe("parseConfig defaults", () => {
  it("has the documented defaults for an empty environment", () => {
    const c = parseConfig({});
    expect(c.issuer).toBe("http://localhost:3000");
    expect(c.port).toBe(3000);
    expect(c.apiAudience).toBe("http://localhost:3000/api");
    expect(c.databaseUrl).toBe(DEFAULT_DATABASE_URL);
    expect(c.codeTtl).toBe(60);
    expect(c.accessTokenTtl).toBe(300);
    expect(c.idTokenTtl).toBe(300);
    expect(c.refreshTokenTtl).toBe(86_400);
    expect(c.sessionTtl).toBe(28_800);
    expect(c.interactionTtl).toBe(600);
    expect(c.loginMaxFailures).toBe(5);
    expect(c.loginWindow).toBe(900);
    expect(c.secureCookies).toBe(false);
    expect(c.authSecret).toBeUndefined(); // generated and kept by lib/client/nextauth/session-cookie.ts
  });

  it("treats empty strings as unset", () => {
    expect(parseConfig({ APP_URL: "", PORT: "", CODE_TTL_SECONDS: "" }).issuer).toBe("http://localhost:3000");
  });

  it("derives the default issuer from PORT", () => {
    const c = parseConfig({ PORT: "4123" });
    expect(c.port).toBe(4123);
    expect(c.issuer).toBe("http://localhost:4123");
    expect(c.apiAudience).toBe("http://localhost:4123/api");
  });

  it("uses APP_URL over PORT and removes its trailing slash", () => {
    const c = parseConfig({ APP_URL: "https://auth.example.com/", PORT: "4123" });
    expect(c.issuer).toBe("https://auth.example.com");
    expect(c.apiAudience).toBe("https://auth.example.com/api");
    expect(c.secureCookies).toBe(true);
    expect(parseConfig({ APP_URL: "https://example.com/lab/" }).issuer).toBe("https://example.com/lab");
  });

  it("takes API_AUDIENCE and the TTLs from the environment", () => {
    const c = parseConfig({ API_AUDIENCE: "https://api.example.com", CODE_TTL_SECONDS: "600", ACCESS_TOKEN_TTL_SECONDS: "900" });
    expect(c.apiAudience).toBe("https://api.example.com");
    expect(c.codeTtl).toBe(600);
    expect(c.accessTokenTtl).toBe(900);
  });
});

describe("parseConfig errors name the variable", () => {
  it.each([
    ["an invalid APP_URL", { APP_URL: "not a url" }, "APP_URL"],
    ["an ftp APP_URL", { APP_URL: "ftp://example.com" }, "APP_URL"],
    ["an APP_URL with a query", { APP_URL: "https://example.com/?a=1" }, "APP_URL"],
    ["an APP_URL with a fragment", { APP_URL: "https://example.com/#x" }, "APP_URL"],
    ["CODE_TTL_SECONDS=0", { CODE_TTL_SECONDS: "0" }, "CODE_TTL_SECONDS"],
    ["CODE_TTL_SECONDS=601", { CODE_TTL_SECONDS: "601" }, "CODE_TTL_SECONDS"],
    ["CODE_TTL_SECONDS=abc", { CODE_TTL_SECONDS: "abc" }, "CODE_TTL_SECONDS"],
    ["CODE_TTL_SECONDS=1.5", { CODE_TTL_SECONDS: "1.5" }, "CODE_TTL_SECONDS"],
    ["DATABASE_URL=mysql://x", { DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    ["PORT=70000", { PORT: "70000" }, "PORT"],
    ["a short AUTH_SECRET", { AUTH_SECRET: "short" }, "AUTH_SECRET"],
    ["ACCESS_TOKEN_TTL_SECONDS=-5", { ACCESS_TOKEN_TTL_SECONDS: "-5" }, "ACCESS_TOKEN_TTL_SECONDS"],
  ])("%s", (_label, env, variable) => {
    const e = configError(env);
    expect(e.name).toBe("ConfigError");
    expect(e.message).toMatch(new RegExp(`^\\s*${variable}: `, "m"));
  });

  it("names every bad variable at once", () => {
    const e = configError({ CODE_TTL_SECONDS: "0", DATABASE_URL: "mysql://x" });
    expect(e.message).toContain("CODE_TTL_SECONDS");
    expect(e.message).toContain("DATABASE_URL");
  });

  it("accepts a SQLite or a PostgreSQL DATABASE_URL", () => {
    expect(parseConfig({ DATABASE_URL: "file:./data/x.db" }).databaseUrl).toBe("file:./data/x.db");
    expect(parseConfig({ DATABASE_URL: "postgresql://lab:pw@db:5432/lab" }).databaseUrl).toBe("postgresql://lab:pw@db:5432/lab");
    expect(parseConfig({ DATABASE_URL: "postgres://db/lab" }).databaseUrl).toBe("postgres://db/lab");
    expect(configError({ DATABASE_URL: "./data/x.db" }).message).toMatch(/DATABASE_URL: .*postgresql:\/\//);
  });

  it("accepts the bounds of CODE_TTL_SECONDS", () => {
    expect(parseConfig({ CODE_TTL_SECONDS: "1" }).codeTtl).toBe(1);
    expect(parseConfig({ CODE_TTL_SECONDS: "600" }).codeTtl).toBe(600);
  });
});

describe("configWarnings", () => {
  it("warns about a missing AUTH_SECRET only on PostgreSQL, where instances on several machines would not share the generated one", () => {
    for (const NODE_ENV of ["production", undefined]) {
      expect(configWarnings({ NODE_ENV }, parseConfig({ NODE_ENV }))).toEqual([]);
      const env = { NODE_ENV, DATABASE_URL: "postgresql://u:p@db.example/lab" };
      const warnings = configWarnings(env, parseConfig(env));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^AUTH_SECRET is not set/);
    }
  });

  it("does not warn in development or test", () => {
    for (const NODE_ENV of ["development", "test"]) {
      expect(configWarnings({ NODE_ENV }, parseConfig({}))).toEqual([]);
    }
  });

  it("does not warn about AUTH_SECRET once it is set", () => {
    const env = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) };
    expect(configWarnings(env, parseConfig(env))).toEqual([]);
  });

  it("warns about plain http on a non-local host, not on localhost or over https", () => {
    const secret = "x".repeat(32);
    const plain = { NODE_ENV: "production", AUTH_SECRET: secret, APP_URL: "http://auth.example.com" };
    const warnings = configWarnings(plain, parseConfig(plain));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plain http on auth\.example\.com/);
    for (const APP_URL of ["http://127.0.0.1:3000", "http://localhost:3000", "https://auth.example.com"]) {
      const env = { NODE_ENV: "production", AUTH_SECRET: secret, APP_URL };
      expect(configWarnings(env, parseConfig(env))).toEqual([]);
    }
  });
});

describe("modes switched on by configuration", () => {
  it("are all off by default", () => {
    const c = parseConfig({});
    expect(c.testMode).toBe(false);
    expect(c.workshop.enabled).toBe(false);
    expect(c.labMode).toBe(false);
  });

  it("accept on/off, true/false and 1/0", () => {
    expect(parseConfig({ TEST_MODE: "on" }).testMode).toBe(true);
    expect(parseConfig({ TEST_MODE: "true" }).testMode).toBe(true);
    expect(parseConfig({ LAB_MODE: "1" }).labMode).toBe(true);
    expect(parseConfig({ LAB_MODE: "off" }).labMode).toBe(false);
    expect(configError({ TEST_MODE: "yes" }).message).toMatch(/TEST_MODE: must be on or off/);
  });

  it("refuse workshop mode without an instructor password, naming the variable", () => {
    expect(configError({ WORKSHOP_MODE: "on" }).message).toMatch(/INSTRUCTOR_PASSWORD: must be set when WORKSHOP_MODE is on/);
    expect(configError({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: "short" }).message).toMatch(/INSTRUCTOR_PASSWORD: must be at least 8/);
    expect(parseConfig({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: "teach-the-class" }).workshop).toEqual({
      enabled: true,
      instructorPassword: "teach-the-class",
    });
  });

  it("warn when test mode or lab mode is on outside development", () => {
    const env = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), TEST_MODE: "on", LAB_MODE: "on" };
    const warnings = configWarnings(env, parseConfig(env));
    expect(warnings.some((w) => w.startsWith("TEST_MODE is on"))).toBe(true);
    expect(warnings.some((w) => w.startsWith("LAB_MODE is on"))).toBe(true);
  });
});

describe("the purge's settings (lib/records/prune.ts)", () => {
  it("keep events a day and purge every ten minutes by default; 0 turns the periodic purge off", () => {
    expect(parseConfig({})).toMatchObject({ eventRetention: 86_400, pruneInterval: 600 });
    expect(parseConfig({ EVENT_RETENTION_HOURS: "2", PRUNE_INTERVAL_SECONDS: "0" })).toMatchObject({
      eventRetention: 7200,
      pruneInterval: 0,
    });
    expect(parseConfig({})).toMatchObject({ purgeGrace: undefined });
    expect(parseConfig({ EVENT_RETENTION_HOURS: "0.05", PURGE_GRACE_SECONDS: "60" })).toMatchObject({
      eventRetention: 180,
      purgeGrace: 60,
    });
  });

  it.each([
    ["EVENT_RETENTION_HOURS", "0"],
    ["EVENT_RETENTION_HOURS", "0.001"],
    ["PURGE_GRACE_SECONDS", "1.5"],
    ["PURGE_GRACE_SECONDS", "0"],
    ["PURGE_GRACE_SECONDS", "59"],
    ["PRUNE_INTERVAL_SECONDS", "-1"],
    ["PRUNE_INTERVAL_SECONDS", "soon"],
  ])("refuse %s=%s, naming it", (variable, value) => {
    expect(() => parseConfig({ [variable]: value })).toThrow(new RegExp(`^\\s*${variable}: `, "m"));
  });
});

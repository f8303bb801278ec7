import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "../../records/runtime-settings";
import { testConfig } from "../../../test/support/db";
import { effectiveLifetimes, lifetimesConflict, parseLifetimes } from "./lifetimes";

const form = (values: Record<string, string>) => new URLSearchParams(values);

describe("parseLifetimes", () => {
  it("accepts whole seconds within bounds, and empty as the configured lifetime", () => {
    expect(parseLifetimes(form({ codeTtlSeconds: "20", accessTokenTtlSeconds: " 30 ", refreshTokenTtlSeconds: "" }))).toEqual({
      lifetimes: { codeTtlSeconds: 20, accessTokenTtlSeconds: 30, refreshTokenTtlSeconds: null },
    });
    expect(parseLifetimes(form({}))).toEqual({
      lifetimes: { codeTtlSeconds: null, accessTokenTtlSeconds: null, refreshTokenTtlSeconds: null },
    });
    expect(parseLifetimes(form({ codeTtlSeconds: "5", accessTokenTtlSeconds: "86400", refreshTokenTtlSeconds: "10" }))).toEqual({
      lifetimes: { codeTtlSeconds: 5, accessTokenTtlSeconds: 86_400, refreshTokenTtlSeconds: 10 },
    });
  });

  it.each([
    ["codeTtlSeconds", "4"],
    ["codeTtlSeconds", "601"],
    ["accessTokenTtlSeconds", "0"],
    ["accessTokenTtlSeconds", "86401"],
    ["refreshTokenTtlSeconds", "9"],
    ["codeTtlSeconds", "1.5"],
    ["codeTtlSeconds", "-10"],
    ["codeTtlSeconds", "abc"],
    ["codeTtlSeconds", "1e3"],
  ])("refuses %s=%s, naming the field and its bounds", (field, value) => {
    const result = parseLifetimes(form({ [field]: value }));
    expect(result).toMatchObject({ field });
    expect("error" in result && result.error).toMatch(/must be a whole number of seconds from \d+ to \d+/);
  });
});

describe("effectiveLifetimes", () => {
  it("shows the instructor's value where set, the configured one elsewhere", () => {
    const config = testConfig({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: "teach-the-class" });
    expect(effectiveLifetimes(config, { ...DEFAULT_SETTINGS, codeTtlSeconds: 20 })).toEqual({
      codeTtlSeconds: { seconds: 20, configured: 60, overridden: true },
      accessTokenTtlSeconds: { seconds: 300, configured: 300, overridden: false },
      refreshTokenTtlSeconds: { seconds: 86_400, configured: 86_400, overridden: false },
    });
  });
});

describe("lifetimesConflict", () => {
  const configured = { accessTokenTtl: 300, refreshTokenTtl: 86_400 };
  const set = (access: number | null, refresh: number | null) => ({
    codeTtlSeconds: null,
    accessTokenTtlSeconds: access,
    refreshTokenTtlSeconds: refresh,
  });
  it("refuses a refresh token that would expire before the access token, an empty field counting as the configured lifetime", () => {
    expect(lifetimesConflict(set(60, 20), configured)).toEqual({ accessToken: 60, refreshToken: 20 });
    expect(lifetimesConflict(set(null, 120), configured)).toEqual({ accessToken: 300, refreshToken: 120 });
    expect(lifetimesConflict(set(86_400, null), { accessTokenTtl: 300, refreshTokenTtl: 3600 })).toEqual({
      accessToken: 86_400,
      refreshToken: 3600,
    });
  });
  it("accepts equal or longer refresh tokens", () => {
    expect(lifetimesConflict(set(60, 60), configured)).toBeNull();
    expect(lifetimesConflict(set(30, null), configured)).toBeNull();
    expect(lifetimesConflict(set(null, null), configured)).toBeNull();
  });
});

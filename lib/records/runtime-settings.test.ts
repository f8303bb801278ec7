import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  applyRuntimeSettings,
  DEFAULT_SETTINGS,
  readRuntimeSettings,
  updateRuntimeSettings,
  usesRuntimeSettings,
} from "./runtime-settings";
import { resetToSeed } from "../seed";
import { createTestDatabase, pkcePair, seedClient, seedUser, testConfig, insertCode, type TestDatabase } from "../../test/support/db";

const realNow = new Date("2026-11-25T12:00:00Z");

describe("applyRuntimeSettings", () => {
  const moved = { ...DEFAULT_SETTINGS, clockOffsetSeconds: 3600, codeTtlSeconds: 5, accessTokenTtlSeconds: 20, refreshTokenTtlSeconds: 40 };

  it("is not read in the default configuration, and changes nothing there", () => {
    const config = testConfig();
    expect(usesRuntimeSettings(config)).toBe(false);
    const applied = applyRuntimeSettings(config, moved, realNow);
    expect(applied.now).toBe(realNow);
    expect(applied.config).toBe(config);
  });

  it("moves the clock in test mode only, and leaves the lifetimes alone there", () => {
    const applied = applyRuntimeSettings(testConfig({ TEST_MODE: "on" }), moved, realNow);
    expect(applied.now.toISOString()).toBe("2026-11-25T13:00:00.000Z");
    expect(applied.config.codeTtl).toBe(60);
  });

  it("applies the instructor's lifetimes in workshop mode only, and not the clock there", () => {
    const applied = applyRuntimeSettings(testConfig({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: "teach-the-class" }), moved, realNow);
    expect(applied.now).toBe(realNow);
    expect([applied.config.codeTtl, applied.config.accessTokenTtl, applied.config.refreshTokenTtl]).toEqual([5, 20, 40]);
    const unset = applyRuntimeSettings(
      testConfig({ WORKSHOP_MODE: "on", INSTRUCTOR_PASSWORD: "teach-the-class" }),
      DEFAULT_SETTINGS,
      realNow,
    );
    expect([unset.config.codeTtl, unset.config.accessTokenTtl, unset.config.refreshTokenTtl]).toEqual([60, 300, 86_400]);
  });
});

describe("runtime settings in the database, and the reset to the seed", () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase();
  });
  afterEach(async () => {
    await t.close();
  });

  it("reads the defaults before anything is written, then what was written", async () => {
    expect(await readRuntimeSettings(t.db)).toEqual(DEFAULT_SETTINGS);
    await updateRuntimeSettings(t.db, { clockOffsetSeconds: 61 });
    await updateRuntimeSettings(t.db, { accessTokenTtlSeconds: 30 });
    expect(await readRuntimeSettings(t.db)).toMatchObject({ clockOffsetSeconds: 61, accessTokenTtlSeconds: 30, codeTtlSeconds: null });
  });

  it("resets every table to the seed and the settings to the configuration, keeping the signing keys", async () => {
    const config = testConfig();
    await resetToSeed(t.db, config);
    const keys = await t.db.signingKey.findMany();
    expect(keys.length).toBe(1);
    const mallory = await seedUser(t.db, "mallory");
    await seedClient(t.db, {
      id: "registered",
      secret: null,
      authMethod: "none",
      redirectUris: ["http://localhost/cb"],
      scopes: ["openid"],
    });
    await insertCode(t.db, {
      clientId: "registered",
      userId: mallory.id,
      redirectUri: "http://localhost/cb",
      scope: "openid",
      codeChallenge: pkcePair().challenge,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await t.db.note.create({ data: { userId: mallory.id, text: "x" } });
    await updateRuntimeSettings(t.db, { clockOffsetSeconds: 600 });

    await resetToSeed(t.db, config);
    expect((await t.db.user.findMany({ orderBy: { username: "asc" } })).map((u) => u.username)).toEqual(["alice", "bob", "self-check"]);
    expect((await t.db.client.findMany({ orderBy: { id: "asc" } })).map((c) => c.id)).toEqual([
      "nextauth-demo",
      "public-demo",
      "walkthrough",
    ]);
    expect(await t.db.authorizationCode.count()).toBe(0);
    expect(await t.db.note.count()).toBe(0);
    expect(await readRuntimeSettings(t.db)).toEqual(DEFAULT_SETTINGS);
    expect((await t.db.signingKey.findMany()).map((k) => k.kid)).toEqual(keys.map((k) => k.kid));
  });

  it("registers the resource-server client, whose demo secret is published, only where it may introspect", async () => {
    const ids = async () => (await t.db.client.findMany({ orderBy: { id: "asc" } })).map((c) => c.id);
    await resetToSeed(t.db, testConfig({ RS_REVOCATION_CHECK: "introspection" }));
    expect(await ids()).toContain("resource-server");
    await resetToSeed(t.db, testConfig({ RS_REVOCATION_CHECK: "jti" }), { keepRegisteredClients: true });
    expect(await ids()).not.toContain("resource-server");
  });
});

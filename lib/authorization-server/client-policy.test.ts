import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testConfig, testContext, type TestDatabase } from "../../test/support/db";
import { parsePolicy, policyOf, POLICY_CHECKS, serializePolicy, STRICT_POLICY } from "./client-policy";
import { findClient } from "./clients";
import { registerClient } from "./registration";

describe("a client's policy", () => {
  it("is strict unless a check is stored as false; anything unreadable is strict", () => {
    expect(parsePolicy("{}")).toEqual(STRICT_POLICY);
    expect(parsePolicy("")).toEqual(STRICT_POLICY);
    expect(parsePolicy("not json")).toEqual(STRICT_POLICY);
    expect(parsePolicy('{"pkceVerified":"false","singleUseCode":0,"unknown":false}')).toEqual(STRICT_POLICY);
    expect(parsePolicy('{"pkceVerified":false}')).toEqual({ ...STRICT_POLICY, pkceVerified: false });
    expect(parsePolicy(serializePolicy({ exactRedirectUri: false, rotateRefreshToken: true }))).toEqual({
      ...STRICT_POLICY,
      exactRedirectUri: false,
    });
    expect(Object.keys(STRICT_POLICY).sort()).toEqual([...POLICY_CHECKS].sort());
  });

  it("is honoured only in LAB_MODE: otherwise every client is held to every check", () => {
    const relaxed = { policy: parsePolicy(serializePolicy({ pkceVerified: false, singleUseCode: false })) };
    expect(policyOf(testConfig(), relaxed)).toEqual(STRICT_POLICY);
    expect(policyOf(testConfig({ LAB_MODE: "on" }), relaxed)).toMatchObject({
      pkceVerified: false,
      singleUseCode: false,
      exactRedirectUri: true,
    });
  });
});

describe("registration (RFC 7591) sets no policy", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("whatever the metadata says: a registered client is held to every check", async () => {
    const info = await registerClient(
      testContext(t.db),
      {
        client_name: "Policy test",
        redirect_uris: ["https://client.example/cb"],
        token_endpoint_auth_method: "none",
        policy: { pkceVerified: false },
        pkceVerified: false,
      },
      "10.0.0.9",
    );
    expect((await findClient(t.db, info.client_id))?.policy).toEqual(STRICT_POLICY);
  });
});

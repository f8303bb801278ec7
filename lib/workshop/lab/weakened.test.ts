import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleAuthorize } from "../../authorization-server/authorize";
import type { Context } from "../../oauth/context";
import { handleToken } from "../../authorization-server/token-endpoint";
import type { Config } from "../../config";
import {
  createTestDatabase,
  insertCode,
  pkcePair,
  seedClient,
  seedUser,
  testConfig,
  testContext,
  tokenRequest,
  type TestDatabase,
} from "../../../test/support/db";
import { POLICY_CHECKS, serializePolicy } from "../../authorization-server/client-policy";
import { LAB_WEAKENED_CLIENT_ID, labWeakenedClient, weakness, weaknessesOf, WEAKNESSES, type Weakness } from "./weakened";
import { ATTACK_IDS } from "./attacks";

/**
 * LAB MODE's weaknesses: each is off without lab mode and off for every other client, both as the
 * switch says and at the server's real checks (a row with the weakened client's id, registered while
 * lab mode is off, gets no weakness); on, each one lets its attack through for the weakened client only.
 */

const NAMES = Object.keys(WEAKNESSES) as Weakness[];
const OFF = testConfig();
const ON = testConfig({ LAB_MODE: "on" });

describe("weakness(): the single switch", () => {
  it("is off for every weakness and every client when lab mode is off (the default)", () => {
    expect(OFF.labMode).toBe(false);
    for (const name of NAMES) {
      for (const id of [LAB_WEAKENED_CLIENT_ID, "walkthrough", "nextauth-demo", "public-demo", "resource-server", null, undefined]) {
        expect(weakness(OFF, id, name)).toBe(false);
      }
    }
    expect(weaknessesOf(OFF, LAB_WEAKENED_CLIENT_ID).size).toBe(0);
  });

  it("is on in lab mode for the weakened lab client only, never for another client or a near miss of its id", () => {
    for (const name of NAMES) {
      expect(weakness(ON, LAB_WEAKENED_CLIENT_ID, name)).toBe(true);
      for (const id of [
        "walkthrough",
        "nextauth-demo",
        "public-demo",
        "resource-server",
        "LAB-WEAKENED",
        "lab-weakened ",
        " lab-weakened",
        "lab-weakened2",
        "",
        null,
        undefined,
      ]) {
        expect(weakness(ON, id, name)).toBe(false);
      }
    }
    expect([...weaknessesOf(ON, LAB_WEAKENED_CLIENT_ID)]).toEqual(NAMES);
    expect(weaknessesOf(ON, "walkthrough").size).toBe(0);
  });

  it("knows no weakness by any other name", () => {
    expect(weakness(ON, LAB_WEAKENED_CLIENT_ID, "toString" as Weakness)).toBe(false);
    expect(weakness(ON, LAB_WEAKENED_CLIENT_ID, "not-a-weakness" as Weakness)).toBe(false);
  });

  it("names one weakness per lab card", () => {
    expect(new Set(NAMES.map((n) => WEAKNESSES[n].card)).size).toBe(ATTACK_IDS.length);
  });

  it("registers the weakened client with exactly the server's weaknesses switched off in its policy", () => {
    const relaxed = Object.entries(labWeakenedClient("").policy)
      .filter(([, on]) => on === false)
      .map(([check]) => check);
    const named = NAMES.flatMap((n) => ("policy" in WEAKNESSES[n] ? [WEAKNESSES[n].policy as string] : []));
    expect(relaxed.sort()).toEqual([...named].sort());
    expect([...POLICY_CHECKS].sort()).toEqual([...named].sort());
  });
});

const REDIRECT = "https://client.example/cb";
const WEAK = { id: LAB_WEAKENED_CLIENT_ID, secret: "lab-weakened-test-secret-0123456789ab", authMethod: "client_secret_post" as const };
const OTHER = { id: "other-post", secret: "other-secret-0123456789abcdefghijklmn", authMethod: "client_secret_post" as const };
const NARROW = { id: "narrow-post", secret: "narrow-secret-0123456789abcdefghijklm", authMethod: "client_secret_post" as const };
type Registered = typeof WEAK | typeof OTHER | typeof NARROW;

let t: TestDatabase;
let userId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  userId = (await seedUser(t.db)).id;
  // The weakened client as the seed registers it, its policy switching the server's checks off: lab mode
  // alone decides whether that is honoured. Every other client is held to every check.
  const policy = serializePolicy(labWeakenedClient("").policy);
  await seedClient(t.db, { ...WEAK, policy, redirectUris: [REDIRECT], scopes: ["openid", "offline_access"] });
  await seedClient(t.db, { ...OTHER, redirectUris: [REDIRECT], scopes: ["openid", "offline_access"] });
  await seedClient(t.db, { ...NARROW, redirectUris: [REDIRECT], scopes: ["openid"] });
});

afterAll(async () => {
  await t?.close();
});

const ctx = (config: Config, at = new Date()): Context => testContext(t.db, at, config);

async function newCode(client: Registered) {
  const { verifier, challenge } = pkcePair();
  const { code } = await insertCode(t.db, {
    clientId: client.id,
    userId,
    redirectUri: REDIRECT,
    scope: "openid offline_access",
    codeChallenge: challenge,
    expiresAt: new Date(Date.now() + 60_000),
  });
  return { code, verifier };
}

async function token(config: Config, client: Registered, params: Record<string, string>) {
  const response = await handleToken(tokenRequest({ ...params, client_id: client.id, client_secret: client.secret }), ctx(config));
  return {
    status: response.status,
    body: (await response.json()) as { error?: string; error_description?: string; refresh_token?: string },
  };
}
const redeem = (config: Config, client: Registered, code: string, verifier?: string) =>
  token(config, client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT,
    ...(verifier ? { code_verifier: verifier } : {}),
  });
const refresh = (config: Config, client: Registered, refreshToken: string) =>
  token(config, client, { grant_type: "refresh_token", refresh_token: refreshToken });

describe("at the server's checks", () => {
  describe.each([
    ["lab mode off, the weakened client's id", OFF, WEAK],
    ["lab mode on, another client", ON, OTHER],
  ] as const)("%s: every check holds", (_, config, client) => {
    it("code-reusable: a replay is refused", async () => {
      const { code, verifier } = await newCode(client);
      expect((await redeem(config, client, code, verifier)).status).toBe(200);
      expect((await redeem(config, client, code, verifier)).body.error_description).toBe("The authorization code has already been used.");
    });

    it("pkce-unchecked: no verifier and a wrong one are refused", async () => {
      const a = await newCode(client);
      expect((await redeem(config, client, a.code)).body.error_description).toBe("code_verifier is required (PKCE).");
      expect((await redeem(config, client, a.code, pkcePair().verifier)).body.error).toBe("invalid_grant");
    });

    it("code-not-bound-to-client: the code is refused to another client", async () => {
      const { code, verifier } = await newCode(client);
      const thief = client === WEAK ? OTHER : WEAK;
      expect((await redeem(config, thief, code, verifier)).body.error_description).toBe(
        "The authorization code was not issued to this client.",
      );
    });

    it("refresh-reuse-undetected: a rotated refresh token is refused and revokes the family", async () => {
      const { code, verifier } = await newCode(client);
      const first = await redeem(config, client, code, verifier);
      const rotated = await refresh(config, client, first.body.refresh_token!);
      expect(rotated.status).toBe(200);
      expect((await refresh(config, client, first.body.refresh_token!)).body.error_description).toBe(
        "The refresh token has already been used or revoked.",
      );
      expect((await refresh(config, client, rotated.body.refresh_token!)).status).toBe(400);
    });

    it("redirect-uri-prefix: a near miss of the redirect URI gets an error page", async () => {
      const response = await authorizeWith(config, client.id, `${REDIRECT}/`);
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    });
  });

  describe("lab mode on, the weakened client: each attack gets through", () => {
    it("code-reusable: the replay returns new tokens", async () => {
      const { code, verifier } = await newCode(WEAK);
      expect((await redeem(ON, WEAK, code, verifier)).status).toBe(200);
      expect((await redeem(ON, WEAK, code, verifier)).status).toBe(200);
    });

    it("pkce-unchecked: a code is redeemed without its verifier", async () => {
      const { code } = await newCode(WEAK);
      expect((await redeem(ON, WEAK, code)).status).toBe(200);
    });

    it("code-not-bound-to-client: another client redeems the weakened client's code (and not the other way round)", async () => {
      const { code, verifier } = await newCode(WEAK);
      expect((await redeem(ON, OTHER, code, verifier)).status).toBe(200);
      const theirs = await newCode(OTHER);
      expect((await redeem(ON, WEAK, theirs.code, theirs.verifier)).status).toBe(400);
    });

    it("code-not-bound-to-client: the other client gets no scope it was not registered for (no refresh token here)", async () => {
      const { code, verifier } = await newCode(WEAK);
      const narrow = await redeem(ON, NARROW, code, verifier);
      expect(narrow.status).toBe(200);
      expect(narrow.body).toMatchObject({ scope: "openid" });
      expect(narrow.body.refresh_token).toBeUndefined();
    });

    it("refresh-reuse-undetected: the rotated refresh token works again, and the family lives on", async () => {
      const { code, verifier } = await newCode(WEAK);
      const first = await redeem(ON, WEAK, code, verifier);
      const rotated = await refresh(ON, WEAK, first.body.refresh_token!);
      expect((await refresh(ON, WEAK, first.body.refresh_token!)).status).toBe(200);
      expect((await refresh(ON, WEAK, rotated.body.refresh_token!)).status).toBe(200);
    });

    it("redirect-uri-prefix: a near miss is accepted (on to the login page); another origin is not", async () => {
      const nearMiss = await authorizeWith(ON, WEAK.id, `${REDIRECT}/`);
      expect(nearMiss.status).toBe(302);
      expect(new URL(nearMiss.headers.get("location")!).pathname).toBe("/login");
      expect((await authorizeWith(ON, WEAK.id, "https://attacker.example/cb")).status).toBe(400);
    });
  });
});

function authorizeWith(config: Config, clientId: string, redirectUri: string) {
  const url = new URL("http://localhost:3000/oauth/authorize");
  const { challenge } = pkcePair();
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: "openid",
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  })) {
    url.searchParams.set(k, v);
  }
  return handleAuthorize(new Request(url), ctx(config));
}

describe("the seed (lib/seed.ts)", () => {
  it("registers the weakened lab client only in lab mode, and a seed without lab mode removes it", async () => {
    const { seedDemoData } = await import("../../seed");
    await t.db.client.deleteMany({ where: { id: LAB_WEAKENED_CLIENT_ID } });
    await seedDemoData(t.db, OFF);
    expect(await t.db.client.findUnique({ where: { id: LAB_WEAKENED_CLIENT_ID } })).toBeNull();
    await seedDemoData(t.db, ON);
    expect((await t.db.client.findUnique({ where: { id: LAB_WEAKENED_CLIENT_ID } }))?.name).toBe(
      "Weakened lab client (LAB MODE — insecure on purpose)",
    );
    await seedDemoData(t.db, OFF);
    expect(await t.db.client.findUnique({ where: { id: LAB_WEAKENED_CLIENT_ID } })).toBeNull();
  });
});

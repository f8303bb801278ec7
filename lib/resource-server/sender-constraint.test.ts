import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, randomToken } from "../crypto";
import { createTestDatabase, seedUser, type TestDatabase } from "../../test/support/db";
import { listNotes } from "./notes";
import { serveProtected } from "./protected-resource";
import { apiRequest, ISSUER, mintAccessToken, recordIssued, testKeys, testRsContext, type TestKeys } from "./test-helpers";

/**
 * RFC 9449 §7.1 at the API: a DPoP-bound token (cnf.jkt) only as `DPoP <token>` with a fresh proof of
 * its key; the refusal names the `dpop` check in the step-7 event and answers with the DPoP challenge.
 */

let t: TestDatabase;
let keys: TestKeys;
let alice: string;
let client: CryptoKeyPair;
let jkt: string;

beforeAll(async () => {
  t = await createTestDatabase();
  keys = await testKeys();
  alice = (await seedUser(t.db, "alice")).id;
  client = (await generateKeyPair("ES256")) as CryptoKeyPair;
  jkt = await calculateJwkThumbprint(await exportJWK(client.publicKey), "sha256");
});
afterAll(async () => {
  await t?.close();
});

async function boundToken(bound = true) {
  const minted = await mintAccessToken(keys, alice, "notes:read", { claims: bound ? { cnf: { jkt } } : {} });
  const row = await recordIssued(t.db, minted.jti, alice, "notes:read");
  return { ...minted, correlationId: row.correlationId };
}

async function proof(token: string, pair: CryptoKeyPair = client, claims: Record<string, unknown> = {}) {
  return new SignJWT({
    htm: "GET",
    htu: `${ISSUER}/api/notes`,
    iat: Math.floor(Date.now() / 1000),
    jti: randomToken(12),
    ath: hashToken(token),
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: await exportJWK(pair.publicKey) })
    .sign(pair.privateKey);
}

async function call(headers: Record<string, string>) {
  const response = await serveProtected(apiRequest("/api/notes", { headers }), testRsContext(t.db, keys), listNotes);
  const text = await response.text();
  return { status: response.status, challenge: response.headers.get("www-authenticate") ?? "", body: text ? JSON.parse(text) : undefined };
}

const lastEvent = async (correlationId: string) => t.db.flowEvent.findFirst({ where: { correlationId, step: 7 }, orderBy: { id: "desc" } });

describe("the API's sender constraint (RFC 9449 §7.1)", () => {
  it("serves a bound token with a proof of its key, and records the token type and thumbprint", async () => {
    const { token, correlationId } = await boundToken();
    const { status } = await call({ Authorization: `DPoP ${token}`, DPoP: await proof(token) });
    expect(status).toBe(200);
    const event = await lastEvent(correlationId);
    expect(JSON.parse(event!.data).detail).toMatchObject({ tokenType: "DPoP", jkt });
  });

  it.each([
    ["as Bearer", "invalid_token", async (token: string) => ({ Authorization: `Bearer ${token}` })],
    ["as DPoP without a proof", "invalid_dpop_proof", async (token: string) => ({ Authorization: `DPoP ${token}` })],
    [
      "with another key's proof",
      "invalid_dpop_proof",
      async (token: string) => ({
        Authorization: `DPoP ${token}`,
        DPoP: await proof(token, (await generateKeyPair("ES256")) as CryptoKeyPair),
      }),
    ],
    ["with a wrong ath", "invalid_dpop_proof", async (token: string) => ({ Authorization: `DPoP ${token}`, DPoP: await proof("other") })],
  ])("refuses a bound token %s: 401 %s with the DPoP challenge, failing the dpop check", async (_, error, headers) => {
    const { token, correlationId } = await boundToken();
    const { status, challenge, body } = await call(await headers(token));
    expect(status).toBe(401);
    expect(body.error).toBe(error);
    expect(challenge).toMatch(new RegExp(`^DPoP realm="[^"]+", error="${error}", error_description="[^"]+", algs="ES256"$`));
    const detail = JSON.parse((await lastEvent(correlationId))!.data).detail;
    expect(detail.checks.find((c: { check: string }) => c.check === "dpop")).toEqual({ check: "dpop", result: "failed" });
  });

  it("refuses a replayed proof", async () => {
    const { token } = await boundToken();
    const dpop = await proof(token);
    expect((await call({ Authorization: `DPoP ${token}`, DPoP: dpop })).status).toBe(200);
    expect((await call({ Authorization: `DPoP ${token}`, DPoP: dpop })).body).toMatchObject({ error: "invalid_dpop_proof" });
  });

  it("refuses an unbound token sent as DPoP, and serves it as Bearer (a DPoP header beside it is ignored)", async () => {
    const { token } = await boundToken(false);
    expect((await call({ Authorization: `DPoP ${token}`, DPoP: await proof(token) })).body).toMatchObject({ error: "invalid_token" });
    expect((await call({ Authorization: `Bearer ${token}`, DPoP: "ignored" })).status).toBe(200);
  });
});

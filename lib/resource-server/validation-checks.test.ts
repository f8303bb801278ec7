import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, seedUser, type TestDatabase } from "../../test/support/db";
import type { ResourceServerContext } from "./context";
import { AuthorizationServerUnavailable } from "./errors";
import { listNotes } from "./notes";
import { serveProtected, UNCORRELATED } from "./protected-resource";
import { apiRequest, bearer, mintAccessToken, recordIssued, testKeys, testRsContext, unsignedToken, type TestKeys } from "./test-helpers";
import { describeStep, VALIDATION_STEPS, type CheckResult, type ValidationStep } from "../oauth/api-checks";
import { API_CHECKS, validationChecks } from "./validation-checks";

/**
 * The API's validation, check by check, as its flow event records it: every refusal names the check
 * that failed, the checks before it passed, and the later ones did not run.
 */

const ORDER = API_CHECKS.map((c) => c.id);

/** What a refusal at `failed` must look like: passed up to it, failed at it, not run after it. */
const refusedAt = (failed: ValidationStep): CheckResult[] =>
  ORDER.map((check, i) => ({ check, result: i < ORDER.indexOf(failed) ? "passed" : check === failed ? "failed" : "not run" }));

describe("validationChecks", () => {
  it("a served request passed every check, in the order the API runs them", () => {
    expect(ORDER).toEqual(["token", "jws", "kid", "signature", "typ", "iss", "aud", "exp", "claims", "revocation", "dpop", "scope"]);
    expect(ORDER).toEqual(VALIDATION_STEPS.map((s) => s.id));
    expect(validationChecks("resource")).toEqual(ORDER.map((check) => ({ check, result: "passed" })));
  });

  it.each([
    ["token", "token-present", "token"],
    ["token", "token-in-query", "token"],
    ["jws", "alg", "jws"],
    ["jws", "jwt", "jws"],
    ["jws", "kid", "kid"],
    ["jws", "authorization-server", "kid"],
    ["jws", "nbf", "exp"],
    ["revocation", "authorization-server", "revocation"],
    ["scope", "scope", "scope"],
    ["revocation", "exp", "exp"],
  ] as const)("stopped at %s, a refusal by %s fails %s", (stage, check, step) => {
    expect(validationChecks(stage, check)).toEqual(refusedAt(step));
  });

  it("a server error fails no check: what ran before its stage passed, nothing after ran", () => {
    expect(validationChecks("revocation", "server")).toEqual(
      ORDER.map((check, i) => ({ check, result: i < ORDER.indexOf("revocation") ? "passed" : "not run" })),
    );
    expect(validationChecks("resource", "user").every((c) => c.result === "passed")).toBe(true);
  });

  it("names the revocation check after how the API asks (RFC 7009 jti lookup or RFC 7662 introspection), each with an RFC link", () => {
    expect(describeStep("revocation", "jti")).toMatchObject({ rfc: "RFC 7009 §2", name: expect.stringMatching(/jti/) });
    expect(describeStep("revocation", "introspection")).toMatchObject({
      rfc: "RFC 7662 §2.2",
      href: expect.stringContaining("rfc7662#section-2.2"),
    });
    for (const { id } of VALIDATION_STEPS)
      expect(describeStep(id).href).toMatch(/^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+#section-[\d.]+$/);
  });
});

describe("the API's flow event lists the checks", () => {
  let t: TestDatabase;
  let keys: TestKeys;
  let alice: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    keys = await testKeys();
    alice = (await seedUser(t.db, "alice")).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const ctx = (options: Parameters<typeof testRsContext>[2] = {}) => testRsContext(t.db, keys, options);

  /** Calls GET /api/notes and returns the checks of the step-7 event it recorded. */
  async function checksOf(headers: Record<string, string>, correlationId = UNCORRELATED, c: ResourceServerContext = ctx()) {
    await serveProtected(apiRequest("/api/notes", { headers }), c, listNotes);
    const [row] = await t.db.flowEvent.findMany({
      where: { correlationId, role: "resource-server", step: 7 },
      orderBy: { id: "desc" },
      take: 1,
    });
    return (JSON.parse(row.data) as { detail: { check: string; checks: CheckResult[] } }).detail;
  }

  async function issued(scope: string, options: Parameters<typeof mintAccessToken>[3] & { revoked?: boolean } = {}) {
    const minted = await mintAccessToken(keys, alice, scope, options);
    const row = await recordIssued(t.db, minted.jti, alice, scope, { revokedAt: options.revoked ? new Date() : undefined });
    return { ...minted, correlationId: row.correlationId };
  }

  it("a served request: every check passed", async () => {
    const { token, correlationId } = await issued("notes:read");
    expect(await checksOf(bearer(token), correlationId)).toMatchObject({
      check: "passed",
      checks: ORDER.map((check) => ({ check, result: "passed" })),
    });
  });

  it("no token: the first check failed and none ran after it", async () => {
    expect((await checksOf({})).checks).toEqual(refusedAt("token"));
  });

  it("alg none fails the JWS check before any key is looked up", async () => {
    expect((await checksOf(bearer(unsignedToken(keys.kid, alice, "notes:read")))).checks).toEqual(refusedAt("jws"));
  });

  it("an unknown kid, then a forged signature", async () => {
    const stranger = await testKeys("unknown-kid");
    expect((await checksOf(bearer((await mintAccessToken(stranger, alice, "notes:read")).token))).checks).toEqual(refusedAt("kid"));
    const impostor = await testKeys(keys.kid);
    expect((await checksOf(bearer((await mintAccessToken(impostor, alice, "notes:read")).token))).checks).toEqual(refusedAt("signature"));
  });

  it("an unreachable JWKS fails the kid lookup", async () => {
    const { token } = await issued("notes:read");
    const down: ResourceServerContext = {
      ...ctx(),
      keys: async () => {
        throw new AuthorizationServerUnavailable("JWKS");
      },
    };
    expect((await checksOf(bearer(token), UNCORRELATED, down)).checks).toEqual(refusedAt("kid"));
  });

  it.each([
    ["typ", { header: { typ: "JWT" } }],
    ["iss", { claims: { iss: "https://evil.example" } }],
    ["aud", { claims: { aud: "https://another-api.example" } }],
    ["exp", { iat: Math.floor(Date.now() / 1000) - 400, ttl: 300 }],
    ["exp", { claims: { exp: undefined } }],
    ["claims", { claims: { client_id: undefined } }],
    ["claims", { claims: { sub: 42 } }],
  ] as const)("a token failing %s", async (step, options) => {
    const { token } = await issued("notes:read", options as Parameters<typeof mintAccessToken>[3]);
    const detail = await checksOf(bearer(token));
    expect(detail.checks).toEqual(refusedAt(step));
  });

  it("a revoked token passes every check of the JWT and fails revocation, under its flow's correlation id", async () => {
    const { token, correlationId } = await issued("notes:read", { revoked: true });
    expect(await checksOf(bearer(token), correlationId)).toMatchObject({ check: "revocation", checks: refusedAt("revocation") });
  });

  it("introspection saying inactive fails revocation", async () => {
    const { token } = await mintAccessToken(keys, alice, "notes:read");
    const inactive = ctx({ env: { RS_REVOCATION_CHECK: "introspection" }, introspect: async () => ({ active: false }) });
    expect((await checksOf(bearer(token), UNCORRELATED, inactive)).checks).toEqual(refusedAt("revocation"));
  });

  it("a token without the scope fails only the last check", async () => {
    const { token, correlationId } = await issued("profile");
    expect((await checksOf(bearer(token), correlationId)).checks).toEqual(refusedAt("scope"));
  });
});

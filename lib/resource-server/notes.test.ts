import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, seedUser, type TestDatabase } from "../../test/support/db";
import type { Resource } from "./context";
import { me } from "./me";
import { createNote, listNotes, readNote } from "./notes";
import { serveProtected } from "./protected-resource";
import { apiRequest, bearer, mintAccessToken, recordIssued, testKeys, testRsContext, type TestKeys } from "./test-helpers";

/** The resources behind the checks: /api/me and the notes, each user confined to their own data. */

let t: TestDatabase;
let keys: TestKeys;
const users: Record<"alice" | "bob", string> = { alice: "", bob: "" };
const ALL = "openid profile email notes:read notes:write";

beforeAll(async () => {
  t = await createTestDatabase();
  keys = await testKeys();
  users.alice = (await seedUser(t.db, "alice")).id;
  users.bob = (await seedUser(t.db, "bob")).id;
});

afterAll(async () => {
  await t?.close();
});

async function tokenFor(user: keyof typeof users, scope = ALL) {
  const { token, jti } = await mintAccessToken(keys, users[user], scope);
  await recordIssued(t.db, jti, users[user], scope);
  return token;
}

async function call(
  resource: Resource,
  token: string,
  init: { method?: string; body?: string; contentType?: string } = {},
  path = "/api/notes",
) {
  const headers: Record<string, string> = { ...bearer(token), ...(init.contentType ? { "Content-Type": init.contentType } : {}) };
  const response = await serveProtected(
    apiRequest(path, { method: init.method ?? "GET", headers, body: init.body }),
    testRsContext(t.db, keys),
    resource,
  );
  return {
    status: response.status,
    response,
    body: (await response.json()) as Record<string, unknown> & { notes?: { id: string; text: string }[] },
  };
}

const post = (token: string, body: unknown, contentType = "application/json") =>
  call(createNote, token, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), contentType });

describe("GET /api/me", () => {
  it("answers sub, name and preferred_username, and email only with the email scope", async () => {
    const withEmail = await call(me, await tokenFor("alice", "openid profile email"), {}, "/api/me");
    expect(withEmail.status).toBe(200);
    expect(withEmail.body).toEqual({
      sub: users.alice,
      name: "alice Example",
      preferred_username: "alice",
      email: "alice@example.com",
      email_verified: true,
    });
    const without = await call(me, await tokenFor("alice", "profile"), {}, "/api/me");
    expect(without.body).toEqual({ sub: users.alice, name: "alice Example", preferred_username: "alice" });
  });

  it("refuses a token whose user no longer exists", async () => {
    const ghost = await seedUser(t.db, "ghost");
    const { token, jti } = await mintAccessToken(keys, ghost.id, "profile");
    await recordIssued(t.db, jti, ghost.id, "profile");
    await t.db.user.delete({ where: { id: ghost.id } });
    const { status, body } = await call(me, token, {}, "/api/me");
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: "invalid_token", error_description: "The token's user no longer exists." });
  });
});

describe("the notes", () => {
  it("POST creates a note for the token's user: 201, the note, and its Location", async () => {
    const { status, body, response } = await post(await tokenFor("alice"), { text: "Buy milk" });
    expect(status).toBe(201);
    expect(body).toEqual({ id: expect.any(String), text: "Buy milk", createdAt: expect.any(String) });
    expect(response.headers.get("location")).toBe(`/api/notes/${body.id}`);
    expect((await t.db.note.findUnique({ where: { id: body.id as string } }))?.userId).toBe(users.alice);
  });

  it("a user lists only their own notes, newest first, and reads only their own by id", async () => {
    const alice = await tokenFor("alice");
    const bob = await tokenFor("bob");
    const first = (await post(alice, { text: "alice 1" })).body;
    const second = (await post(alice, { text: "alice 2" })).body;
    const bobs = (await post(bob, { text: "bob's secret" })).body;

    const aliceList = (await call(listNotes, alice)).body.notes!;
    expect(aliceList.map((n) => n.text)).toEqual(expect.arrayContaining(["alice 1", "alice 2"]));
    expect(aliceList.map((n) => n.text)).not.toContain("bob's secret");
    expect(aliceList.findIndex((n) => n.id === second.id)).toBeLessThan(aliceList.findIndex((n) => n.id === first.id));
    expect((await call(listNotes, bob)).body.notes!.map((n) => n.text)).toEqual(["bob's secret"]);

    const own = await call(readNote(first.id as string), alice, {}, `/api/notes/${first.id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: first.id, text: "alice 1" });
    const others = await call(readNote(bobs.id as string), alice, {}, `/api/notes/${bobs.id}`);
    const missing = await call(readNote("does-not-exist"), alice, {}, "/api/notes/does-not-exist");
    expect(others.status).toBe(404);
    // Another user's note and a missing one are indistinguishable.
    expect(others.body).toEqual(missing.body);
    expect(missing.status).toBe(404);
  });

  it("notes:read does not allow writing, and notes:write does not allow reading", async () => {
    const reader = await tokenFor("alice", "notes:read");
    const writer = await tokenFor("alice", "notes:write");
    expect(await post(reader, { text: "x" })).toMatchObject({ status: 403, body: { error: "insufficient_scope" } });
    expect(await call(listNotes, writer)).toMatchObject({ status: 403, body: { error: "insufficient_scope" } });
    expect(await call(readNote("x"), writer)).toMatchObject({ status: 403 });
  });

  it("accepts exactly 1000 characters, counted as characters, not UTF-16 units", async () => {
    const alice = await tokenFor("alice");
    expect((await post(alice, { text: "a".repeat(1000) })).status).toBe(201);
    expect((await post(alice, { text: "😀".repeat(1000) })).status).toBe(201);
  });

  it.each([
    ["bad JSON", '{"text": "unterminated', "application/json", /not valid JSON/],
    ["a wrong content type", "text=hello", "application/x-www-form-urlencoded", /Content-Type: application\/json/],
    ["text/plain", '{"text":"hello"}', "text/plain", /Content-Type: application\/json/],
    ["no text", {}, "application/json", /text is required/],
    ["text that is not a string", { text: 42 }, "application/json", /text must be a string/],
    ["empty text", { text: "" }, "application/json", /must not be empty/],
    ["blank text", { text: "   \n" }, "application/json", /must not be empty/],
    ["text over 1000 characters", { text: "a".repeat(1001) }, "application/json", /at most 1000 characters/],
    ["an unknown field", { text: "hi", userId: "someone-else" }, "application/json", /Unknown field 'userId'/],
    ["an array", [{ text: "hi" }], "application/json", /must be a JSON object/],
    ["null", "null", "application/json", /must be a JSON object/],
  ])("POST with %s: 400 invalid_request", async (_label, body, contentType, message) => {
    const before = await t.db.note.count();
    const { status, body: answer } = await post(await tokenFor("alice"), body, contentType as string);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: "invalid_request", error_description: expect.stringMatching(message as RegExp) });
    expect(await t.db.note.count()).toBe(before);
  });

  it("POST with an oversized body: 413 invalid_request", async () => {
    const { status, body } = await post(await tokenFor("alice"), { text: "a".repeat(20_000) });
    expect(status).toBe(413);
    expect(body.error).toBe("invalid_request");
  });

  it("a token whose user was deleted cannot write: 401, not a server error", async () => {
    const ghost = await seedUser(t.db, "ghost-writer");
    const { token, jti } = await mintAccessToken(keys, ghost.id, "notes:write");
    await recordIssued(t.db, jti, ghost.id, "notes:write");
    await t.db.user.delete({ where: { id: ghost.id } });
    const { status, body } = await post(token, { text: "from beyond" });
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: "invalid_token", error_description: "The token's user no longer exists." });
  });

  it("the token is checked before the body: a bad body without a token is a 401", async () => {
    const response = await serveProtected(
      apiRequest("/api/notes", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" }),
      testRsContext(t.db, keys),
      createNote,
    );
    expect(response.status).toBe(401);
  });
});

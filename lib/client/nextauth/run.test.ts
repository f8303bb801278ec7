import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents, recordEvent, type FlowEventView } from "../../events";
import { createTestDatabase, type TestDatabase } from "../../../test/support/db";
import type { Fetch } from "./oauth";
import { fetchRun, loadRun, recordClientEvent, summarizeSteps } from "./run";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.close();
});

const RUN = "run-of-sixteen-c";

describe("fetchRun", () => {
  it("names the run by the access token while it is valid, otherwise by its id with the client's authentication, never a secret in the URL", async () => {
    const seen: { url: string; method: string; authorization: string | null; body: string }[] = [];
    const fetchImpl = (async (url: URL, init?: RequestInit) => {
      seen.push({
        url: String(url),
        method: init?.method ?? "GET",
        authorization: new Headers(init?.headers).get("authorization"),
        body: String(init?.body ?? ""),
      });
      return Response.json({ correlationId: RUN, events: [] });
    }) as unknown as Fetch;
    const client = { id: "nextauth-demo", secret: "s3cret" };
    expect(await fetchRun("https://as.example", { accessToken: "at-1", correlationId: RUN, client }, fetchImpl)).toEqual({
      correlationId: RUN,
      events: [],
    });
    await fetchRun("https://as.example", { correlationId: RUN, client }, fetchImpl);
    expect(seen).toEqual([
      { url: "https://as.example/api/flow-events", method: "GET", authorization: "Bearer at-1", body: "" },
      {
        url: "https://as.example/api/flow-events",
        method: "POST",
        authorization: `Basic ${Buffer.from("nextauth-demo:s3cret").toString("base64")}`,
        body: `correlation=${RUN}`,
      },
    ]);
    expect(await fetchRun("https://as.example", { correlationId: RUN }, fetchImpl)).toEqual({ error: "No run to show." });
  });

  it("turns a refusal into a message", async () => {
    const fetchImpl = (async () => Response.json({ error: "invalid_token" }, { status: 401 })) as unknown as Fetch;
    expect(await fetchRun("https://as.example", { accessToken: "expired" }, fetchImpl)).toEqual({
      error: "The authorization server answered 401 (invalid_token).",
    });
  });
});

describe("loadRun and summarizeSteps", () => {
  it("adds the client's own events once (same database or not) and groups the run by step", async () => {
    await recordEvent(t.db, {
      correlationId: RUN,
      role: "authorization-server",
      step: 5,
      name: "Tokens issued for the code",
      outcome: "ok",
    });
    await recordClientEvent(t.db, "nextauth-demo", RUN, {
      step: 6,
      name: "Client called the API: GET /api/notes",
      outcome: "ok",
      http: { request: { method: "GET", url: "https://rs.example/api/notes", headers: { authorization: "Bearer secret-access-token" } } },
    });
    await recordClientEvent(t.db, "nextauth-demo", undefined, { step: 6, name: "an event without a run is not recorded", outcome: "ok" });
    // Same database: the authorization server returned the client's event already.
    const same = await loadRun(t.db, { correlationId: RUN, events: await listEvents(t.db, RUN) });
    expect(same.events.map((e) => e.name)).toEqual(["Tokens issued for the code", "Client called the API: GET /api/notes"]);
    // Separate databases: the AS knows only its own events; the client's come from its database.
    const asOnly: FlowEventView = {
      id: 1,
      at: "2000-01-01T00:00:00.000Z",
      correlationId: RUN,
      role: "authorization-server",
      step: 1,
      name: "Authorization request accepted",
      outcome: "ok",
      clientId: "nextauth-demo",
      userId: null,
    };
    const split = await loadRun(t.db, { correlationId: RUN, events: [asOnly] });
    expect(split.events.map((e) => e.name)).toEqual([
      "Authorization request accepted",
      "Tokens issued for the code",
      "Client called the API: GET /api/notes",
    ]);
    const client = split.events.find((e) => e.role === "client")!;
    expect(JSON.stringify(client.http)).not.toContain("secret-access-token");

    const steps = summarizeSteps(split.events);
    expect(steps.map((s) => [s.step, s.performed])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, false],
      [5, true],
      [6, true],
      [7, false],
    ]);
  });

  it("says step 7 is done only once the API was called: a refresh before any call is said as such", () => {
    const event = (step: number, name: string): FlowEventView => ({
      id: step,
      at: "2000-01-01T00:00:00.000Z",
      correlationId: RUN,
      role: "authorization-server",
      step,
      name,
      outcome: "ok",
      clientId: null,
      userId: null,
    });
    const refreshed = summarizeSteps([event(5, "Tokens issued for the code"), event(7, "Refresh token rotated, new access token issued")]);
    expect(refreshed.slice(5).map((s) => [s.step, s.performed, s.status])).toEqual([
      [6, false, "not yet"],
      [7, false, "refreshed; the API not called yet"],
    ]);
    const called = summarizeSteps([
      event(6, "Client called the API with an access token"),
      event(7, "Resource server validated the token and served"),
    ]);
    expect(called.slice(5).map((s) => s.status)).toEqual(["done", "done"]);
  });
});

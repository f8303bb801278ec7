import { describe, expect, it } from "vitest";
import type { FlowEventView } from "../../events";
import { arrowOf, channelOf, diagramRows, mergeApiCalls } from "./sequence";

let id = 0;
const event = (e: Partial<FlowEventView> & Pick<FlowEventView, "role" | "step" | "name" | "at">): FlowEventView => ({
  id: ++id,
  correlationId: "c",
  outcome: "ok",
  clientId: "walkthrough",
  userId: null,
  ...e,
});

describe("the sequence diagram's lanes and order", () => {
  it("draws each server event between the lanes of its step", () => {
    const arrow = (role: FlowEventView["role"], step: number) => arrowOf({ role, step });
    expect(arrow("authorization-server", 1)).toEqual({ from: "browser", to: "authorization-server" });
    expect(arrow("authorization-server", 2)).toEqual({ from: "browser", to: "authorization-server" });
    expect(arrow("authorization-server", 3)).toEqual({ from: "authorization-server", to: "browser" });
    expect(arrow("authorization-server", 5)).toEqual({ from: "authorization-server", to: "client" });
    expect(arrow("resource-server", 6)).toEqual({ from: "resource-server", to: "resource-server" });
    expect(arrow("resource-server", 7)).toEqual({ from: "resource-server", to: "client" });
    expect(arrowOf({ role: "client", step: 4, detail: { from: "client", to: "authorization-server" } })).toEqual({
      from: "client",
      to: "authorization-server",
    });
  });

  it("orders the client's requests by when they left, before the server's answer recorded while they were in flight", () => {
    const own = [
      event({ role: "browser", step: 1, name: "sent", at: "2026-11-25T12:00:00.000Z" }),
      event({
        role: "client",
        step: 4,
        name: "exchange",
        at: "2026-11-25T12:00:10.050Z",
        detail: { from: "client", to: "authorization-server", startedAt: "2026-11-25T12:00:10.000Z" },
      }),
    ];
    const servers = [
      event({ role: "authorization-server", step: 1, name: "accepted", at: "2026-11-25T12:00:00.010Z" }),
      event({ role: "authorization-server", step: 5, name: "issued", at: "2026-11-25T12:00:10.020Z" }),
    ];
    expect(diagramRows(own, servers).map((r) => r.name)).toEqual(["sent", "accepted", "exchange", "issued"]);
  });

  it("takes only the client's roles from its own events and only the servers' from theirs, so a shared database draws nothing twice", () => {
    const shared = [
      event({ role: "browser", step: 1, name: "sent", at: "2026-11-25T12:00:00.000Z" }),
      event({ role: "authorization-server", step: 1, name: "accepted", at: "2026-11-25T12:00:00.010Z" }),
    ];
    const rows = diagramRows(shared, shared);
    expect(rows.map((r) => [r.recordedBy, r.name])).toEqual([
      ["browser", "sent"],
      ["authorization-server", "accepted"],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
  });
});

describe("what the diagram draws", () => {
  it("front channel through the browser, back channel server to server, as the overview's legend says", () => {
    expect(channelOf({ from: "client", to: "browser" })).toBe("front");
    expect(channelOf({ from: "browser", to: "authorization-server" })).toBe("front");
    expect(channelOf({ from: "authorization-server", to: "browser" })).toBe("front");
    expect(channelOf({ from: "client", to: "authorization-server" })).toBe("back");
    expect(channelOf({ from: "resource-server", to: "client" })).toBe("back");
    expect(channelOf({ from: "client", to: "client" })).toBe("none");
  });

  it("draws each API call once: the API's records of it go with the client's row", () => {
    const call = (path: string, start: string, end: string) =>
      event({
        role: "client",
        step: 6,
        name: `Client called GET ${path}`,
        at: end,
        http: { request: { method: "GET", url: `https://rs.example${path}` }, response: { status: 200 } },
        detail: { from: "client", to: "resource-server", startedAt: start },
      });
    const received = (path: string, at: string) =>
      event({
        role: "resource-server",
        step: 6,
        name: "Client called the API with an access token",
        at,
        http: { request: { method: "GET", url: `https://rs.example${path}` } },
      });
    const answered = (at: string) =>
      event({
        role: "resource-server",
        step: 7,
        name: "Resource server validated the token and served",
        at,
        http: { response: { status: 200 } },
      });
    const own = [
      call("/api/me", "2026-11-25T12:00:00.000Z", "2026-11-25T12:00:00.100Z"),
      call("/api/notes", "2026-11-25T12:00:00.110Z", "2026-11-25T12:00:00.200Z"),
    ];
    const servers = [
      received("/api/me", "2026-11-25T12:00:00.020Z"),
      answered("2026-11-25T12:00:00.030Z"),
      received("/api/notes", "2026-11-25T12:00:00.130Z"),
      answered("2026-11-25T12:00:00.140Z"),
      // A call of another time (an hour later, the client's row gone): not merged.
      received("/api/me", "2026-11-25T13:00:00.000Z"),
    ];
    const rows = mergeApiCalls(diagramRows(own, servers));
    expect(rows.map((r) => [r.name, (r.records ?? []).map((x) => `${x.step} ${x.recordedBy}`)])).toEqual([
      ["Client called GET /api/me", ["6 resource-server", "7 resource-server"]],
      ["Client called GET /api/notes", ["6 resource-server", "7 resource-server"]],
      ["Client called the API with an access token", []],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import type { FlowEventView } from "../../events";
import { arrowOf, diagramRows } from "./sequence";

let id = 0;
const event = (e: Partial<FlowEventView> & Pick<FlowEventView, "role" | "step" | "name" | "at">): FlowEventView =>
  ({ id: ++id, correlationId: "c", outcome: "ok", clientId: "walkthrough", userId: null, ...e });

describe("the sequence diagram's lanes and order", () => {
  it("draws each server event between the lanes of its step", () => {
    const arrow = (role: FlowEventView["role"], step: number) => arrowOf({ role, step });
    expect(arrow("authorization-server", 1)).toEqual({ from: "browser", to: "authorization-server" });
    expect(arrow("authorization-server", 2)).toEqual({ from: "browser", to: "authorization-server" });
    expect(arrow("authorization-server", 3)).toEqual({ from: "authorization-server", to: "browser" });
    expect(arrow("authorization-server", 5)).toEqual({ from: "authorization-server", to: "client" });
    expect(arrow("resource-server", 6)).toEqual({ from: "resource-server", to: "resource-server" });
    expect(arrow("resource-server", 7)).toEqual({ from: "resource-server", to: "client" });
    expect(arrowOf({ role: "client", step: 4, detail: { from: "client", to: "authorization-server" } })).toEqual({ from: "client", to: "authorization-server" });
  });

  it("orders the client's requests by when they left, before the server's answer recorded while they were in flight", () => {
    const own = [
      event({ role: "browser", step: 1, name: "sent", at: "2026-11-25T12:00:00.000Z" }),
      event({ role: "client", step: 4, name: "exchange", at: "2026-11-25T12:00:10.050Z", detail: { from: "client", to: "authorization-server", startedAt: "2026-11-25T12:00:10.000Z" } }),
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
    expect(rows.map((r) => [r.recordedBy, r.name])).toEqual([["browser", "sent"], ["authorization-server", "accepted"]]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2);
  });
});

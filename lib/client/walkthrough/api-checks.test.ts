import { describe, expect, it } from "vitest";
import type { FlowEventView } from "../../events";
import { validationChecks } from "../../resource-server/validation-checks";
import { apiAnswers } from "./api-checks";

let id = 0;
const event = (role: FlowEventView["role"], step: number, rest: Partial<FlowEventView> = {}): FlowEventView => ({
  id: ++id,
  at: `2026-01-01T12:00:${String(id).padStart(2, "0")}.000Z`,
  correlationId: "c".repeat(16),
  role,
  step,
  name: "x",
  outcome: "ok",
  clientId: null,
  userId: null,
  ...rest,
});
const call = (url: string) => event("resource-server", 6, { http: { request: { method: "GET", url } } });
const answer = (status: number, check: string, checks = validationChecks("resource"), description?: string) =>
  event("resource-server", 7, {
    outcome: status < 400 ? "ok" : "error",
    http: { response: { status } },
    detail: { check, ...(description ? { description } : {}), revocationCheck: "jti", checks },
  });

describe("apiAnswers: the resource server's answers of a run, check by check", () => {
  it("pairs each answer with its request, newest first, and keeps only answers that list their checks", () => {
    const events = [
      event("authorization-server", 5),
      call("http://localhost:3000/api/me"),
      answer(200, "passed"),
      call("http://localhost:3000/api/notes"),
      answer(200, "passed"),
      event("resource-server", 7, { detail: { check: "passed" } }), // an event from before checks were recorded
      call("http://localhost:3000/api/me"),
      answer(401, "revocation", validationChecks("revocation", "revocation"), "The token has been revoked."),
    ];
    const answers = apiAnswers(events);
    expect(answers.map((a) => [a.request, a.status, a.check])).toEqual([
      ["GET /api/me", 401, "revocation"],
      ["GET /api/notes", 200, "passed"],
      ["GET /api/me", 200, "passed"],
    ]);
    expect(answers[0]).toMatchObject({ description: "The token has been revoked.", revocationCheck: "jti" });
    expect(answers[0].checks.find((c) => c.result === "failed")?.check).toBe("revocation");
    expect(apiAnswers(events, 1)).toHaveLength(1);
  });
});

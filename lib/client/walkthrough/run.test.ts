import { describe, expect, it } from "vitest";
import { hereStep, nextStep, newRunData, type Attempt, type RunData } from "./run";

const base = () => newRunData({ state: "s", nonce: "n", codeVerifier: "v", codeChallenge: "c" }, ["openid", "offline_access"]);
const withCode = (): RunData =>
  ({
    ...base(),
    sentAt: "2026-01-01T00:00:00.000Z",
    callback: {
      receivedAt: "2026-01-01T00:00:05.000Z",
      response: { code: "x", state: "s", iss: "i", error: null, errorDescription: null },
      verdict: { outcome: "code", checks: [] },
    },
  }) as RunData;
const attempt = (kind: Attempt["kind"]): Attempt => ({
  id: kind,
  kind,
  at: "2026-01-01T00:01:00.000Z",
  title: "",
  summary: "",
  outcome: "ok",
  exchanges: [],
});
const tokens = { accessToken: "a", refreshToken: "r", receivedAt: "2026-01-01T00:00:10.000Z" } as RunData["tokens"];

describe("the next step the page's bar names", () => {
  it("follows the run from step 1 to the end, in the bar's own words", () => {
    expect(nextStep(base())).toMatchObject({ step: 1, intent: "authorize", form: "authorize" });
    expect(nextStep({ ...base(), sentAt: "2026-01-01T00:00:00.000Z" })).toMatchObject({
      step: 2,
      waiting: expect.stringContaining("sign in"),
    });
    const coded = withCode();
    expect(nextStep(coded)).toMatchObject({ step: 4, intent: "exchange", label: "exchange the code" });
    const exchanged = { ...coded, exchange: { exchange: {} as never, ok: true }, tokens };
    expect(nextStep(exchanged)).toMatchObject({ step: 6, intent: "call-api" });
    expect(nextStep({ ...exchanged, log: [attempt("api")] })).toMatchObject({ step: 7, intent: "refresh" });
    expect(nextStep({ ...exchanged, log: [attempt("api"), attempt("refresh")] })).toMatchObject({ step: 7, intent: "revoke" });
    expect(nextStep({ ...exchanged, log: [attempt("api")], revokedAt: "2026-01-01T00:02:00.000Z" })).toMatchObject({ intent: "start" });
    // Without a refresh token there is nothing to refresh.
    expect(nextStep({ ...exchanged, tokens: { ...tokens!, refreshToken: undefined }, log: [attempt("api")] })).toMatchObject({
      intent: "revoke",
    });
  });

  it("after a refused response or exchange, a new run", () => {
    const refused = { ...withCode(), callback: { ...withCode().callback!, verdict: { outcome: "error" as const, checks: [] } } };
    expect(nextStep(refused)).toMatchObject({ step: 3, intent: "start" });
    expect(nextStep({ ...withCode(), exchange: { exchange: {} as never, ok: false } })).toMatchObject({ step: 4, intent: "start" });
  });

  it("marks one step 'You are here': the one showing the newest exchange", () => {
    expect([hereStep([1]), hereStep([4, 5]), hereStep([6, 7]), hereStep([3])]).toEqual([1, 4, 7, 3]);
  });
});

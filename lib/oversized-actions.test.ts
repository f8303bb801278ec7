import { describe, expect, it } from "vitest";
import { OVERSIZED_FORM_PATH, oversizedFormResponse, routeOversizedAction, SERVER_ACTION_BODY_LIMIT } from "./oversized-actions";

describe("routeOversizedAction (server actions over the body limit)", () => {
  const post = (headers: Record<string, string>, url = "/clients/new") => routeOversizedAction({ method: "POST", url, headers });

  it("sends a possible server action that declares too much, or nothing, to the refusal", () => {
    const multipart = { "content-type": "multipart/form-data; boundary=x" };
    expect(post({ ...multipart, "content-length": String(SERVER_ACTION_BODY_LIMIT + 1) })).toBe(`${OVERSIZED_FORM_PATH}?length=over`);
    expect(post({ "next-action": "abc", "content-type": "text/plain", "content-length": "52428800" })).toBe(
      `${OVERSIZED_FORM_PATH}?length=over`,
    );
    expect(post({ ...multipart, "content-length": "12x" })).toBe(`${OVERSIZED_FORM_PATH}?length=over`);
    expect(post({ ...multipart, "transfer-encoding": "chunked" })).toBe(`${OVERSIZED_FORM_PATH}?length=none`);
  });

  it("leaves everything else where it was going: small actions, route handlers' forms and JSON, GETs", () => {
    expect(post({ "content-type": "multipart/form-data; boundary=x", "content-length": "2000" })).toBe("/clients/new");
    expect(post({ "content-type": "application/x-www-form-urlencoded", "content-length": "52428800" }, "/oauth/token")).toBe(
      "/oauth/token",
    );
    expect(post({ "content-type": "application/json" }, "/oauth/register")).toBe("/oauth/register");
    expect(routeOversizedAction({ method: "GET", url: "/", headers: { "next-action": "x" } })).toBe("/");
  });

  it("answers 413, or 411 for a body with no declared length", () => {
    expect(oversizedFormResponse(new Request(`http://x${OVERSIZED_FORM_PATH}?length=over`, { method: "POST" })).status).toBe(413);
    expect(oversizedFormResponse(new Request(`http://x${OVERSIZED_FORM_PATH}?length=none`, { method: "POST" })).status).toBe(411);
  });
});

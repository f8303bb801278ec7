import { describe, expect, it } from "vitest";
import { OAuthError } from "../oauth/errors";
import { ALL_SCOPES } from "../oauth/vocabulary";
import { coversScope, formatScope, parseScope, splitScope } from "./scope";

function scopeError(value: string | undefined, allowed: readonly string[] = ALL_SCOPES, redirectable?: boolean): OAuthError {
  try {
    parseScope(value, allowed, redirectable);
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthError);
    return error as OAuthError;
  }
  throw new Error(`expected scope ${JSON.stringify(value)} to be refused`);
}

describe("parseScope (RFC 6749 §3.3)", () => {
  it("returns the scopes in canonical order whatever the request order", () => {
    expect(parseScope("notes:read email openid", ALL_SCOPES)).toEqual(["openid", "email", "notes:read"]);
    expect(parseScope("offline_access notes:write profile openid", ALL_SCOPES)).toEqual([
      "openid",
      "profile",
      "offline_access",
      "notes:write",
    ]);
  });

  it("collapses duplicates and tolerates extra spaces", () => {
    expect(parseScope("openid openid  profile ", ALL_SCOPES)).toEqual(["openid", "profile"]);
  });

  it("refuses an unknown scope with invalid_scope", () => {
    const e = scopeError("openid admin");
    expect(e.code).toBe("invalid_scope");
    expect(e.status).toBe(400);
    expect(e.description).toBe("The scope admin is unknown.");
  });

  it("is case-sensitive: OPENID is unknown", () => {
    expect(scopeError("OPENID").code).toBe("invalid_scope");
  });

  it("treats Object.prototype names as unknown scopes, even if a client's list contains them", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const e = scopeError(name, [...ALL_SCOPES, name]);
      expect(e.code).toBe("invalid_scope");
      expect(e.description).toBe(`The scope ${name} is unknown.`);
    }
  });

  it("refuses a scope the client is not allowed with invalid_scope", () => {
    const e = scopeError("openid notes:write", ["openid", "notes:read"]);
    expect(e.code).toBe("invalid_scope");
    expect(e.description).toBe("The client may not request the scope notes:write.");
  });

  it("refuses a missing or empty scope with invalid_scope", () => {
    expect(scopeError(undefined).description).toBe("The scope parameter is required.");
    expect(scopeError("").description).toBe("The scope parameter is empty.");
    expect(scopeError("   ").description).toBe("The scope parameter is empty.");
  });

  it.each([
    ["a double quote", 'openid "profile'],
    ["a backslash", "openid pro\\file"],
    ["a tab separator", "openid\tprofile"],
    ["a newline", "openid\nprofile"],
    ["a non-ASCII character", "openid profilé"],
  ])("refuses a malformed scope (%s) with invalid_scope", (_label, value) => {
    const e = scopeError(value);
    expect(e.code).toBe("invalid_scope");
    expect(e.description).toBe("The scope parameter is malformed.");
  });

  it("carries the redirectable flag it was given", () => {
    expect(scopeError("admin").redirectable).toBe(true);
    expect(scopeError("admin", ALL_SCOPES, false).redirectable).toBe(false);
  });
});

describe("coversScope, formatScope, splitScope", () => {
  it("coversScope is true only when every wanted scope is granted", () => {
    expect(coversScope(["openid", "profile", "notes:read"], ["openid", "notes:read"])).toBe(true);
    expect(coversScope(["openid", "profile"], ["openid", "notes:read"])).toBe(false);
    expect(coversScope(["openid"], [])).toBe(true);
    expect(coversScope([], ["openid"])).toBe(false);
    // no prefix or case matching
    expect(coversScope(["notes:read"], ["notes"])).toBe(false);
    expect(coversScope(["notes"], ["notes:read"])).toBe(false);
    expect(coversScope(["openid"], ["OpenID"])).toBe(false);
  });

  it("formatScope joins with single spaces and splitScope drops empties", () => {
    expect(formatScope(["openid", "profile"])).toBe("openid profile");
    expect(splitScope(" openid  profile ")).toEqual(["openid", "profile"]);
    expect(splitScope("")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { citations, rfcHref } from "./rfc-links";

describe("links to cited sections", () => {
  it("links an RFC section, a whole RFC and an OpenID Connect Core section", () => {
    expect(rfcHref("RFC 6750 §3.1")).toBe("https://www.rfc-editor.org/rfc/rfc6750#section-3.1");
    expect(rfcHref("RFC 7662")).toBe("https://www.rfc-editor.org/rfc/rfc7662");
    expect(rfcHref("OpenID Connect Core §3.1.3.7 (10)")).toBe("https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.3.7");
    expect(rfcHref("no citation")).toBeUndefined();
  });

  it("cuts a sentence into text and citations", () => {
    expect(citations("A code works once (RFC 6749 §4.1.2, RFC 9700 §4.5.3).")).toEqual([
      { text: "A code works once (" },
      { text: "RFC 6749 §4.1.2", href: "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2" },
      { text: ", " },
      { text: "RFC 9700 §4.5.3", href: "https://www.rfc-editor.org/rfc/rfc9700#section-4.5.3" },
      { text: ")." },
    ]);
    expect(citations("plain")).toEqual([{ text: "plain" }]);
  });

  it("links a further section to the RFC cited just before it, and leaves a section of nothing unlinked", () => {
    expect(
      citations("RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5")
        .filter((p) => p.href)
        .map((p) => [p.text, p.href]),
    ).toEqual([
      ["RFC 6749 §4.1.2", "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2"],
      ["§10.5", "https://www.rfc-editor.org/rfc/rfc6749#section-10.5"],
      ["RFC 9700 §4.5", "https://www.rfc-editor.org/rfc/rfc9700#section-4.5"],
    ]);
    expect(citations("see, §3")).toEqual([{ text: "see, §3" }]);
    expect(citations("OpenID Connect Core §2, §3").filter((p) => p.href)).toHaveLength(1);
  });
});

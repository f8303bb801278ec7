import { describe, expect, it } from "vitest";
import { ATTACK_IDS } from "../lab/attacks";
import { CHAPTERS, durationWords, findChapter, RFC_SECTION, withLifetimes } from "./chapters";

describe("the chapters of /learn", () => {
  it("are the six of issue 5 and issue 14's seventh, in the order a workshop follows them", () => {
    expect(CHAPTERS.map((c) => c.title)).toEqual([
      "The roles",
      "Front and back channel",
      "PKCE and state",
      "Tokens and their claims",
      "Refresh and revocation",
      "What the lab's attacks teach",
      "Beyond bearer tokens",
    ]);
    expect(new Set(CHAPTERS.map((c) => c.slug)).size).toBe(CHAPTERS.length);
    for (const c of CHAPTERS) expect(c.slug).toMatch(/^[a-z0-9-]+$/);
  });

  it.each(CHAPTERS.map((c) => [c.title, c] as const))("%s names RFC sections and ends in a run", (_, chapter) => {
    expect(chapter.rfcs.length).toBeGreaterThan(0);
    for (const { ref, about } of chapter.rfcs) {
      expect(ref).toMatch(RFC_SECTION);
      expect(about.length).toBeGreaterThan(0);
    }
    expect(chapter.runs.length).toBeGreaterThan(0);
    expect(new Set(chapter.runs.map((r) => r.label)).size).toBe(chapter.runs.length);
    for (const run of chapter.runs) {
      expect(run.label.length).toBeGreaterThan(0);
      expect(run.then.length).toBeGreaterThan(0);
      if (run.kind === "lab") {
        expect(run.attacks.length).toBeGreaterThan(0);
        for (const id of run.attacks) expect(ATTACK_IDS).toContain(id);
      }
    }
    expect(chapter.sections.length).toBeGreaterThan(0);
    for (const s of chapter.sections) expect(s.paragraphs.length).toBeGreaterThan(0);
  });

  it("name every specification the app implements, between them", () => {
    const named = CHAPTERS.flatMap((c) => c.rfcs.map((r) => r.ref.replace(/ §.*/, "")));
    for (const spec of [
      "RFC 6749",
      "RFC 7636",
      "RFC 9207",
      "RFC 9068",
      "RFC 7009",
      "RFC 7662",
      "RFC 9700",
      "RFC 9126",
      "OpenID Connect Core",
    ]) {
      expect(named).toContain(spec);
    }
  });

  it("the lab chapter and the seventh run every card between them, and the PKCE and state chapter cards 2 and 4", () => {
    const labRuns = (slug: string) => findChapter(slug)!.chapter.runs.flatMap((r) => (r.kind === "lab" ? r.attacks : []));
    expect([...labRuns("attacks"), ...labRuns("beyond-bearer-tokens")]).toEqual([...ATTACK_IDS]);
    expect(labRuns("pkce-and-state")).toEqual(["pkce", "state"]);
  });

  it("finds a chapter with its neighbours", () => {
    expect(findChapter("roles")).toMatchObject({ number: 1, previous: undefined, next: { slug: "channels" } });
    expect(findChapter("tokens")).toMatchObject({
      number: 4,
      previous: { slug: "pkce-and-state" },
      next: { slug: "refresh-and-revocation" },
    });
    expect(findChapter("attacks")).toMatchObject({
      number: 6,
      previous: { slug: "refresh-and-revocation" },
      next: { slug: "beyond-bearer-tokens" },
    });
    expect(findChapter("beyond-bearer-tokens")).toMatchObject({ number: 7, previous: { slug: "attacks" }, next: undefined });
    expect(findChapter("nope")).toBeUndefined();
  });
});

describe("the lifetimes a chapter quotes", () => {
  it("are put in as a person says them, from the values in effect", () => {
    expect([60, 1, 300, 90, 3600, 86_400, 172_800].map(durationWords)).toEqual([
      "1 minute",
      "1 second",
      "5 minutes",
      "90 seconds",
      "1 hour",
      "1 day",
      "2 days",
    ]);
    const text = CHAPTERS.flatMap((c) => c.sections.flatMap((s) => s.paragraphs)).join("\n");
    expect(text).toContain("{accessTokenLifetime}");
    const quoted = withLifetimes(text, { codeLifetime: 20, accessTokenLifetime: 60, refreshTokenLifetime: 86_400 });
    expect(quoted).toContain("Access tokens are short-lived (1 minute on this server now");
    expect(quoted).toContain("20 seconds on this server now");
    expect(quoted).not.toMatch(/\{\w+Lifetime\}|300 seconds here by default/);
  });
});

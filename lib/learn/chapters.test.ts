import { describe, expect, it } from "vitest";
import { ATTACK_IDS } from "../lab/attacks";
import { CHAPTERS, findChapter, RFC_SECTION } from "./chapters";

describe("the chapters of /learn", () => {
  it("are the six of issue 5, in the order a workshop follows them", () => {
    expect(CHAPTERS.map((c) => c.title)).toEqual([
      "The roles", "Front and back channel", "PKCE and state", "Tokens and their claims", "Refresh and revocation", "What the lab's attacks teach",
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
    for (const spec of ["RFC 6749", "RFC 7636", "RFC 9207", "RFC 9068", "RFC 7009", "RFC 7662", "RFC 9700", "OpenID Connect Core"]) {
      expect(named).toContain(spec);
    }
  });

  it("the lab chapter runs every card, and the PKCE and state chapter cards 2 and 4", () => {
    const labRuns = (slug: string) => findChapter(slug)!.chapter.runs.flatMap((r) => (r.kind === "lab" ? r.attacks : []));
    expect(labRuns("attacks")).toEqual([...ATTACK_IDS]);
    expect(labRuns("pkce-and-state")).toEqual(["pkce", "state"]);
  });

  it("finds a chapter with its neighbours", () => {
    expect(findChapter("roles")).toMatchObject({ number: 1, previous: undefined, next: { slug: "channels" } });
    expect(findChapter("tokens")).toMatchObject({ number: 4, previous: { slug: "pkce-and-state" }, next: { slug: "refresh-and-revocation" } });
    expect(findChapter("attacks")).toMatchObject({ number: 6, previous: { slug: "refresh-and-revocation" }, next: undefined });
    expect(findChapter("nope")).toBeUndefined();
  });
});

import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { Prisma } from "./generated/prisma/client";
import { describe, expect, it } from "vitest";

/**
 * The import graph of the app's own code (lib/ and app/, tests aside), checked as docs/architecture.md
 * draws it: no cycles, and no arrow running back up from a lower layer. ESLint's boundaries
 * (eslint.config.mjs) keep the roles apart; this test keeps the layers in order and the graph acyclic.
 */

const ROOT = path.resolve(__dirname, "..");

/** Lower layers first: a file may import its own layer and those below it. */
const LAYERS = ["shared", "role", "feature", "app"] as const;
type Layer = (typeof LAYERS)[number];

function layerOf(file: string): Layer {
  if (file.startsWith("app/")) return "app";
  // The schedule of the process's maintenance: it reads every feature's retention needs.
  if (file === "lib/prune-schedule.ts") return "app";
  // Features that span the roles: the workshop, and the demo data's reset (which the instructor and test mode call).
  if (file.startsWith("lib/workshop/") || file === "lib/seed.ts" || file === "lib/test-mode.ts") return "feature";
  if (/^lib\/(authorization-server|resource-server|client)\//.test(file)) return "role";
  return "shared";
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (file !== "lib/generated") sourceFiles(file, out);
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(file);
    }
  }
  return out;
}

type Graph = Map<string, string[]>;

function importGraph(files: readonly string[], read: (file: string) => string): Graph {
  const known = new Set(files);
  const resolve = (from: string, specifier: string): string | null => {
    const base = specifier.startsWith("@/")
      ? specifier.slice(2)
      : specifier.startsWith(".")
        ? path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier))
        : null;
    if (base === null) return null;
    return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((c) => known.has(c)) ?? null;
  };
  return new Map(
    files.map((file) => [
      file,
      ts
        .preProcessFile(read(file), true, true)
        .importedFiles.map((i) => resolve(file, i.fileName))
        .filter((f): f is string => f !== null),
    ]),
  );
}

/** The graph's cycles: its strongly connected components of more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Every import from a lower layer to a higher one, as "from -> to". */
function upwardImports(graph: Graph): string[] {
  const rank = (f: string) => LAYERS.indexOf(layerOf(f));
  return [...graph].flatMap(([from, to]) => to.filter((t) => rank(t) > rank(from)).map((t) => `${from} -> ${t}`));
}

/**
 * Prisma's model API (every model of the schema, so a new table is covered) and raw SQL: what only the
 * records (lib/records/) may call. A text search: it sees `db.user.findMany(` and `.findMany<T>(`, not a
 * model held in a variable first; the records' own style is the call written out.
 */
const MODELS = Object.values(Prisma.ModelName).map((m) => m[0].toLowerCase() + m.slice(1));
const PRISMA_CALL = new RegExp(
  `\\.\\s*(${MODELS.join("|")})\\s*\\.\\s*(find\\w*|create\\w*|update\\w*|delete\\w*|upsert|count|aggregate|groupBy)\\s*(<[^>]*>)?\\s*\\(|\\$(queryRaw|executeRaw|transaction)\\w*|Prisma\\.sql`,
  "g",
);

/** Who may call Prisma: the records, the connection itself (its pragmas), and the walkthrough's own run store (the client's storage, not the server's). */
const MAY_CALL_PRISMA = (file: string) =>
  file.startsWith("lib/records/") ||
  file === "lib/db.ts" ||
  file === "lib/client/walkthrough/run-store.ts" ||
  file === "lib/resource-server/test-helpers.ts";

function prismaCallsOutsideRecords(files: readonly string[], read: (file: string) => string): string[] {
  return files.filter((f) => !MAY_CALL_PRISMA(f)).flatMap((f) => [...read(f).matchAll(PRISMA_CALL)].map((m) => `${f}: ${m[0]}`));
}

describe("one module per stored record", () => {
  const files = [...sourceFiles("lib"), ...sourceFiles("app")];
  const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

  it("no file outside lib/records/ calls Prisma's model API or sends SQL", () => {
    expect(prismaCallsOutsideRecords(files, read)).toEqual([]);
  });

  it("would see a model call, a transaction and SQL", () => {
    const source = "await ctx.db.accessToken\n  .findMany({});\nawait db.$transaction([]);\nconst q = Prisma.sql`SELECT 1`;";
    expect(prismaCallsOutsideRecords(["lib/x.ts"], () => source)).toEqual([
      "lib/x.ts: .accessToken\n  .findMany(",
      "lib/x.ts: $transaction",
      "lib/x.ts: Prisma.sql",
    ]);
  });
});

describe("the import graph", () => {
  const files = [...sourceFiles("lib"), ...sourceFiles("app")];
  const graph = importGraph(files, (f) => fs.readFileSync(path.join(ROOT, f), "utf8"));

  it("reads the real tree (the graph is not empty)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get("lib/authorization-server/token-endpoint.ts")).toContain("lib/oauth/errors.ts");
  });

  it("has no cycles", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("has no arrow back up: shared → roles → features → app", () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it("would see a cycle and an upward arrow", () => {
    const bad = importGraph(["lib/a.ts", "lib/b.ts", "lib/workshop/c.ts"], (f) =>
      f === "lib/a.ts" ? 'import { b } from "./b";' : f === "lib/b.ts" ? 'import { a } from "@/lib/a";\nimport "./workshop/c";' : "",
    );
    expect(cycles(bad)).toEqual([["lib/a.ts", "lib/b.ts"]]);
    expect(upwardImports(bad)).toEqual(["lib/b.ts -> lib/workshop/c.ts"]);
  });
});

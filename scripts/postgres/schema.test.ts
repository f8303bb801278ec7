import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PRISMA_SCHEMA } from "../../lib/database-url";
import { POSTGRES_CLIENT_OUTPUT, postgresSchemaFrom } from "./schema";

const sqlite = readFileSync(PRISMA_SCHEMA.sqlite, "utf8");

describe("the PostgreSQL schema", () => {
  it("is exactly what `npm run db:postgres` derives from prisma/schema.prisma (run it after changing the schema)", () => {
    expect(readFileSync(PRISMA_SCHEMA.postgresql, "utf8")).toBe(postgresSchemaFrom(sqlite));
  });

  it("is the SQLite schema line for line, below its header, but for the provider and the client's folder", () => {
    const postgres = postgresSchemaFrom(sqlite).split("\n");
    const lines = sqlite.split("\n");
    const body = postgres.slice(postgres.length - lines.length);
    const changed = body.flatMap((line, i) => (line === lines[i] ? [] : [[lines[i].trim(), line.trim()]]));
    expect(changed).toEqual([
      ['output       = "../lib/generated/prisma"', `output       = "${POSTGRES_CLIENT_OUTPUT}"`],
      ['provider = "sqlite"', 'provider = "postgresql"'],
    ]);
    expect(postgres.slice(0, postgres.length - lines.length).every((line) => line === "" || line.startsWith("//"))).toBe(true);
  });

  it("refuses a provider-specific native type, which could not mirror", () => {
    expect(() => postgresSchemaFrom(sqlite.replace("  scope     String\n", "  scope     String @db.Text\n"))).toThrow(/native type/);
  });

  it("refuses a schema without the expected datasource or client", () => {
    expect(() => postgresSchemaFrom(sqlite.replace('"sqlite"', '"mysql"'))).toThrow(/provider = "sqlite"/);
    expect(() => postgresSchemaFrom(sqlite.replace('"../lib/generated/prisma"', '"../elsewhere"'))).toThrow(/output/);
  });
});

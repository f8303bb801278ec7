import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { databaseProvider, DEFAULT_DATABASE_URL, PRISMA_SCHEMA, sqliteFilename } from "./lib/database-url";

// The CLI runs on the JS schema engine through a driver adapter: nothing is downloaded at run time.
// DATABASE_URL picks the provider, and with it the schema and the adapter (scripts/generate-clients.mjs
// generates both clients, each with a URL of its provider).
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;
const url = process.env.DATABASE_URL;
const provider = databaseProvider(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: PRISMA_SCHEMA[provider],
  migrations: { path: provider === "postgresql" ? "prisma/postgres/migrations" : "prisma/migrations" },
  async adapter() {
    return provider === "postgresql" ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url: sqliteFilename(url) });
  },
});

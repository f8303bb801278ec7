import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL, sqliteFilename } from "./lib/database-url";

// The CLI runs on the JS schema engine through a driver adapter: nothing is downloaded at run time.
process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url: sqliteFilename(process.env.DATABASE_URL!) });
  },
});

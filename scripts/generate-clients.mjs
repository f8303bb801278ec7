#!/usr/bin/env node
// `postinstall`: generates both Prisma clients, SQLite's (lib/generated/prisma) and PostgreSQL's
// (lib/generated/prisma-pg). prisma.config.ts picks the schema by DATABASE_URL, and each schema's
// datasource must see a URL of its own provider, so each run gets one (no database is contacted).
import { spawnSync } from "node:child_process";

const runs = [
  ["SQLite", "file:./data/authcode-lab.db"],
  ["PostgreSQL", "postgresql://localhost:5432/authcode_lab"],
];
for (const [name, url] of runs) {
  const run = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env: { ...process.env, DATABASE_URL: url } });
  if (run.status !== 0) {
    console.error(`prisma generate failed for the ${name} client.`);
    process.exit(run.status ?? 1);
  }
}

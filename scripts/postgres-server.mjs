// One statement on a PostgreSQL server, outside any application database: used to create and drop
// the fresh databases of tests and of scripts/serve-fresh.mjs (plain .mjs, so both TS and scripts use it).
import pg from "pg";

/** Runs `statement` on the server of `databaseUrl`, connected to its maintenance database `postgres`. */
export async function onPostgresServer(databaseUrl, statement) {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

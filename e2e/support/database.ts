/**
 * Where a test server keeps its data. By default a SQLite file of its own; when E2E_POSTGRES_URL names
 * a PostgreSQL server (`npm run test:postgres` sets it), a database of its own on that server, which
 * scripts/serve-fresh.mjs creates fresh (and drops when the server is stopped).
 */
export const e2ePostgresUrl = () => process.env.E2E_POSTGRES_URL || undefined;

export function testDatabaseUrl(name: string): string {
  const server = e2ePostgresUrl();
  if (!server) return `file:./data/${name}.db`;
  const url = new URL(server);
  url.pathname = `/${name.replace(/[^a-z0-9_]/gi, "_")}`;
  return url.href;
}

/** Runs `statement` on the server of `databaseUrl`, connected to its maintenance database `postgres`. */
export function onPostgresServer(databaseUrl: string, statement: string): Promise<void>;

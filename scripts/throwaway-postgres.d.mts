/** A throwaway PostgreSQL server (scripts/throwaway-postgres.mjs). */
export type ThrowawayPostgres = {
  /** The superuser's URL of the `postgres` database. */
  url: string;
  port: number;
  dir: string;
  /** Ends the server and removes its folder. */
  stop: () => void;
  /** Shuts the server down (`-m fast`), keeping its data. */
  halt: () => void;
  /** Starts a halted server again, on the same port. */
  resume: () => void;
};
export function startThrowawayPostgres(options?: { pgBin?: string; log?: (line: string) => void }): Promise<ThrowawayPostgres>;

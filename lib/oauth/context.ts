import type { Config } from "../config";
import type { PrismaClient } from "../generated/prisma/client";

/** What every server operation works with (lib/oauth/, shared by the roles); `now` is an argument so tests control time. */
export type Context = {
  db: PrismaClient;
  config: Config;
  now: Date;
};

export const addSeconds = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

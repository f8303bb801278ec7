import type { Config } from "../config";
import type { PrismaClient } from "../generated/prisma/client";
import type { EmitEvent } from "./events";

/** What every server operation works with (lib/oauth/, shared by the roles); `now` is an argument so tests control time, `emit` so they can read the events. */
export type Context = {
  db: PrismaClient;
  config: Config;
  now: Date;
  /** Records what happened in a run (lib/oauth/events.ts); lib/event-recorder.ts stores it as a flow event. */
  emit: EmitEvent;
};

export const addSeconds = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

import { clockTime } from "./clock-time";

/** A moment as a person reads it (the time of day, UTC), with the exact instant for machines. */
export function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{clockTime(iso)}</time>;
}

/**
 * Who made a run: a participant (the walkthrough, /app, their own client), or the app itself on their
 * behalf (the lab's attacks, the self-check). The lab and the self-check record one marker event at the
 * start of each run they make (lib/lab/mark-runs.ts), so the instructor's view can set their runs apart:
 * their refusals are the point, not a participant stuck.
 */
export type RunOrigin = "lab" | "self-check";
export const RUN_ORIGINS: readonly RunOrigin[] = ["lab", "self-check"];
export const isRunOrigin = (value: unknown): value is RunOrigin => RUN_ORIGINS.includes(value as RunOrigin);

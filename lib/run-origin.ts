/**
 * Who made a run: a participant (the walkthrough, /app, their own client), or the app itself on their
 * behalf (the lab's attacks, the self-check). The lab's and the self-check's user agent names itself in
 * a request header (lib/workshop/lab/mark-runs.ts), and the authorization server writes it into the run's step-1
 * event, accepted or refused, so the instructor's view can set their runs apart wherever the lab runs
 * (another instance, another database): their refusals are the point, not a participant stuck. It is a
 * label, not a proof: anyone can send it, and all it does is move that run into the lab's group there.
 */
export type RunOrigin = "lab" | "self-check";
export const RUN_ORIGINS: readonly RunOrigin[] = ["lab", "self-check"];
export const isRunOrigin = (value: unknown): value is RunOrigin => RUN_ORIGINS.includes(value as RunOrigin);

/** The header the lab's and the self-check's user agent sends with every request. */
export const RUN_ORIGIN_HEADER = "authcode-lab-run-origin";

/** The origin a request names, if it is one. */
export function runOriginOf(request: Request): RunOrigin | undefined {
  const value = request.headers.get(RUN_ORIGIN_HEADER);
  return isRunOrigin(value) ? value : undefined;
}

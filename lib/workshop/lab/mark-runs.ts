import { RUN_ORIGIN_HEADER, type RunOrigin } from "../../run-origin";
import type { Fetch } from "./http";

/**
 * The lab's and the self-check's fetch: every request it sends names who sent it (lib/run-origin.ts),
 * and the authorization server marks the run that request starts, refused or not, with or without a
 * code_challenge, so the instructor's view lists it as the lab's or the self-check's rather than a
 * participant's.
 */
export function markingFetch(origin: RunOrigin, base: Fetch = fetch): Fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set(RUN_ORIGIN_HEADER, origin);
    return base(input, { ...init, headers });
  };
}

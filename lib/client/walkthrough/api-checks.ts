import type { FlowEventView } from "../../events";
import type { CheckResult } from "../../oauth/api-checks";

/** One answer of the protected API as the resource server recorded it: the request, and each check's result. */
export type ApiAnswer = {
  id: number;
  at: string;
  /** `GET /api/me`, from the resource server's step-6 event of the same request. */
  request: string;
  status?: number;
  /** The check that refused the request, or "passed". */
  check: string;
  description?: string;
  revocationCheck?: string;
  checks: CheckResult[];
};

/**
 * The resource server's latest answers of a run, newest first, from its flow events (RFC 6750 §3: a
 * step-7 event per request, recorded right after the step-6 event of the same request).
 */
export function apiAnswers(events: FlowEventView[], limit = 3): ApiAnswer[] {
  const answers: ApiAnswer[] = [];
  events.forEach((event, i) => {
    if (event.role !== "resource-server" || event.step !== 7 || !Array.isArray(event.detail?.checks)) return;
    const call = events.slice(0, i).findLast((e) => e.role === "resource-server" && e.step === 6)?.http?.request;
    const { check, description, revocationCheck, checks } = event.detail as {
      check?: unknown;
      description?: unknown;
      revocationCheck?: unknown;
      checks: CheckResult[];
    };
    answers.push({
      id: event.id,
      at: event.at,
      request: call ? `${call.method} ${new URL(call.url, "http://x").pathname}` : "a request",
      ...(event.http?.response ? { status: event.http.response.status } : {}),
      check: typeof check === "string" ? check : "passed",
      ...(typeof description === "string" ? { description } : {}),
      ...(typeof revocationCheck === "string" ? { revocationCheck } : {}),
      checks,
    });
  });
  return answers.reverse().slice(0, limit);
}

/**
 * Server actions (RFC 9110 §15.5.14, §15.5.12): Next.js reads an action's body only up to
 * `serverActions.bodySizeLimit` (next.config.mjs), then answers 500 (a TODO in its action-handler.js),
 * and a proxy.ts cannot answer first: Next.js buffers the whole body for it. So a request that may be a
 * server action (a POST with a Next-Action header or a multipart body) that declares more than the limit,
 * or no length at all (browsers always declare one), is sent, before Next.js routes it, to the route
 * handler `OVERSIZED_FORM_PATH`, which answers 413 or 411 without reading a byte of it.
 */

/** next.config.mjs's `serverActions.bodySizeLimit` ("64kb"), in bytes. */
export const SERVER_ACTION_BODY_LIMIT = 64 * 1024;
export const OVERSIZED_FORM_PATH = "/api/oversized-form";

type NodeRequest = { method?: string; url?: string; headers: Record<string, string | string[] | undefined> };
type Subscribe = (name: string, listener: (message: unknown) => void) => void;

/** Where a request goes: its own URL, or the refusal for an oversized (or unmeasured) server action. */
export function routeOversizedAction(request: NodeRequest): string | undefined {
  if (request.method !== "POST") return request.url;
  const type = String(request.headers["content-type"] ?? "").toLowerCase();
  if (request.headers["next-action"] === undefined && !type.startsWith("multipart/form-data")) return request.url;
  const length = request.headers["content-length"];
  if (typeof length !== "string") return `${OVERSIZED_FORM_PATH}?length=none`;
  if (!/^\d+$/.test(length) || Number(length) > SERVER_ACTION_BODY_LIMIT) return `${OVERSIZED_FORM_PATH}?length=over`;
  return request.url;
}

/** Subscribes to `node:diagnostics_channel`'s request start (instrumentation-node.ts passes `subscribe`). */
export function refuseOversizedActions(subscribe: Subscribe): void {
  subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: NodeRequest };
    request.url = routeOversizedAction(request);
  });
}

/** The answer at `OVERSIZED_FORM_PATH`. */
export function oversizedFormResponse(request: Request): Response {
  const undeclared = new URL(request.url).searchParams.get("length") === "none";
  return new Response(
    undeclared ? "A form must declare its length (Content-Length)." : `A form may have at most ${SERVER_ACTION_BODY_LIMIT} bytes.`,
    {
      status: undeclared ? 411 : 413,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    },
  );
}

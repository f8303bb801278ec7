import type { Config } from "../config";

const ALLOW_HEADERS = "Authorization, Content-Type, DPoP";

/**
 * Fetch Standard §3.2 (the CORS protocol), explicit: a page may call the API from a browser only when
 * its origin is in RS_CORS_ORIGINS. No credentials (the API reads no cookies); WWW-Authenticate and
 * Location are exposed so that the page can read why a request was refused and where a note went.
 */
export function corsHeaders(request: Request, config: Pick<Config, "rsCorsOrigins">): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin || !config.rsCorsOrigins.includes(origin)) return { Vary: "Origin" };
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": "WWW-Authenticate, Location, DPoP-Nonce",
    Vary: "Origin",
  };
}

/**
 * The preflight (an OPTIONS request): allowed origins get the methods and headers the API accepts,
 * cached for ten minutes; any other origin gets no Access-Control-Allow-Origin, so its browser stops.
 */
export function corsPreflight(
  request: Request,
  config: Pick<Config, "rsCorsOrigins">,
  methods: readonly ("GET" | "POST")[] = ["GET", "POST"],
): Response {
  const cors = corsHeaders(request, config);
  const headers: Record<string, string> = { ...cors, Allow: [...methods, "OPTIONS"].join(", ") };
  if (cors["Access-Control-Allow-Origin"]) {
    Object.assign(headers, {
      "Access-Control-Allow-Methods": methods.join(", "),
      "Access-Control-Allow-Headers": ALLOW_HEADERS,
      "Access-Control-Max-Age": "600",
    });
    delete headers["Access-Control-Expose-Headers"];
  }
  return new Response(null, { status: 204, headers });
}

import { getConfig } from "@/lib/config";
import { errorResponse } from "@/lib/oauth/errors";
import { readForm } from "@/lib/authorization-server/params";

/**
 * The framework's ceiling for a token request (`npm run bench`, scenario 1b): a POST whose form body is
 * read as the token endpoint reads it, answered with a JSON body of a token response's size, no-store.
 * No client authentication, no database, no signature: what Next.js and HTTP cost for such a request.
 */
export const dynamic = "force-dynamic";

/** About the size of scenario 3's responses (three tokens); nothing in it looks like a token. */
const PADDING = "x".repeat(1300);

/** Routed only for the benchmark (BENCH_ROUTES=on, which `npm run bench` sets): 404 otherwise. */
export async function POST(request: Request) {
  if (!getConfig().benchRoutes) return new Response("Not found", { status: 404 });
  try {
    const params = await readForm(request);
    return Response.json(
      { bench: "form", fields: params.size, padding: PADDING },
      { headers: { "Cache-Control": "no-store", Pragma: "no-cache" } },
    );
  } catch (error) {
    return errorResponse(error);
  }
}

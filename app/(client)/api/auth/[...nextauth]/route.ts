import { NextRequest } from "next/server";
import { handlers } from "@/lib/client/auth";
import { BodyTooLarge, withBoundedBody } from "@/lib/http";

export const { GET } = handlers;

/** Auth.js reads a POST's body whole: it gets a copy read only up to 16 KiB (its forms are a CSRF token and a URL). */
export async function POST(request: NextRequest) {
  try {
    return handlers.POST(new NextRequest(await withBoundedBody(request, 16 * 1024)));
  } catch (error) {
    if (error instanceof BodyTooLarge)
      return Response.json(
        { error: "invalid_request", error_description: error.message },
        { status: 413, headers: { "Cache-Control": "no-store" } },
      );
    throw error;
  }
}

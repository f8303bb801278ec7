import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { handleEvents } from "@/lib/workshop/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** Every participant's flow events, live, as server-sent events; lib/workshop/instructor/stream.ts. */
export async function GET(request: Request) {
  return handleEvents(request, await requestContext());
}

const otherMethods = modeOnlyFallback(() => getConfig().workshop.enabled, "GET, HEAD");
export { otherMethods as POST, otherMethods as PUT, otherMethods as DELETE, otherMethods as PATCH, otherMethods as OPTIONS };

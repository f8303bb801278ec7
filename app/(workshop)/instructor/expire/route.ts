import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { handleExpire } from "@/lib/workshop/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** "Expire now" for one run's code and access tokens; lib/workshop/instructor/expire.ts. */
export async function POST(request: Request) {
  return handleExpire(request, await requestContext());
}

const otherMethods = modeOnlyFallback(() => getConfig().workshop.enabled);
export {
  otherMethods as PUT,
  otherMethods as DELETE,
  otherMethods as PATCH,
  otherMethods as OPTIONS,
  otherMethods as GET,
  otherMethods as HEAD,
};

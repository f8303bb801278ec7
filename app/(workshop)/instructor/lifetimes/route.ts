import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { handleLifetimes } from "@/lib/workshop/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** Sets or clears the room's code and token lifetimes; lib/workshop/instructor/lifetimes.ts. */
export async function POST(request: Request) {
  return handleLifetimes(request, await requestContext(), getConfig());
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

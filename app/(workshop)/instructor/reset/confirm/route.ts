import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { handleReset } from "@/lib/workshop/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** The workshop reset, once confirmed on /instructor/reset; lib/seed.ts. */
export async function POST(request: Request) {
  return handleReset(request, await requestContext());
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

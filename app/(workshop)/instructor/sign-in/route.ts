import { getConfig } from "@/lib/config";
import { modeOnlyFallback } from "@/lib/http";
import { handleSignIn } from "@/lib/workshop/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** The instructor's password (workshop mode); lib/workshop/instructor/session.ts. */
export async function POST(request: Request) {
  return handleSignIn(request, await requestContext());
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

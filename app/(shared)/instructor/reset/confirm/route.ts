import { handleReset } from "@/lib/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** The workshop reset, once confirmed on /instructor/reset; lib/seed.ts. */
export async function POST(request: Request) {
  return handleReset(request, await requestContext());
}

import { handleLifetimes } from "@/lib/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** Sets or clears the room's code and token lifetimes; lib/instructor/lifetimes.ts. */
export async function POST(request: Request) {
  return handleLifetimes(request, await requestContext());
}

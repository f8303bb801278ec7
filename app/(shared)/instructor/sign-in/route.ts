import { handleSignIn } from "@/lib/instructor/handlers";
import { requestContext } from "@/lib/server-context";

/** The instructor's password (workshop mode); lib/instructor/session.ts. */
export async function POST(request: Request) {
  return handleSignIn(request, await requestContext());
}

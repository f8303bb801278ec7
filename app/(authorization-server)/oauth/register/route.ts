import { handleRegistration } from "@/lib/authorization-server/registration";
import { requestContext } from "@/lib/server-context";

/** RFC 7591 §3: dynamic client registration (open, rate-limited per IP address). */
export async function POST(request: Request) {
  return handleRegistration(request, await requestContext());
}

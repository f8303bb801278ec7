import { handleIntrospection } from "@/lib/authorization-server/introspection";
import { requestContext } from "@/lib/server-context";

/** RFC 7662: token introspection. */
export async function POST(request: Request) {
  return handleIntrospection(request, await requestContext());
}

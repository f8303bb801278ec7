import { getConfig } from "@/lib/config";
import { corsPreflight } from "@/lib/resource-server/cors";
import { me } from "@/lib/resource-server/me";
import { serveProtected } from "@/lib/resource-server/protected-resource";
import { resourceServerContext } from "@/lib/resource-server/server-context";

/** The protected API: the token's user (scope profile). */
export async function GET(request: Request) {
  return serveProtected(request, await resourceServerContext(), me);
}
export const OPTIONS = (request: Request) => corsPreflight(request, getConfig(), ["GET"]);

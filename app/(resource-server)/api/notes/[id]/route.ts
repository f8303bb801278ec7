import { getConfig } from "@/lib/config";
import { corsPreflight } from "@/lib/resource-server/cors";
import { readNote } from "@/lib/resource-server/notes";
import { serveProtected } from "@/lib/resource-server/protected-resource";
import { resourceServerContext } from "@/lib/resource-server/server-context";

/** The protected API: one of the user's notes (scope notes:read); another user's note is a 404. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return serveProtected(request, await resourceServerContext(), readNote((await params).id));
}
export const OPTIONS = (request: Request) => corsPreflight(request, getConfig(), ["GET"]);

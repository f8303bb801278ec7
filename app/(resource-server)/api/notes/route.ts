import { getConfig } from "@/lib/config";
import { corsPreflight } from "@/lib/resource-server/cors";
import { createNote, listNotes } from "@/lib/resource-server/notes";
import { serveProtected } from "@/lib/resource-server/protected-resource";
import { resourceServerContext } from "@/lib/resource-server/server-context";

/** The protected API: the user's own notes (GET: scope notes:read; POST: scope notes:write). */
export async function GET(request: Request) {
  return serveProtected(request, await resourceServerContext(), listNotes);
}
export async function POST(request: Request) {
  return serveProtected(request, await resourceServerContext(), createNote);
}
export const OPTIONS = (request: Request) => corsPreflight(request, getConfig(), ["GET", "POST"]);

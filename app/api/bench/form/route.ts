import { readForm } from "@/lib/authorization-server/params";

/**
 * The framework's ceiling for a token request (`npm run bench`, scenario 1b): a POST whose form body is
 * read as the token endpoint reads it, answered with a JSON body of a token response's size, no-store.
 * No client authentication, no database, no signature: what Next.js and HTTP cost for such a request.
 */
export const dynamic = "force-dynamic";

const BODY = { access_token: "a".repeat(560), token_type: "Bearer", expires_in: 300, scope: "openid offline_access notes:read", refresh_token: "r".repeat(43), id_token: "i".repeat(620) };

export async function POST(request: Request) {
  const params = await readForm(request);
  return Response.json({ ...BODY, grant_type: params.get("grant_type") }, { headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
}

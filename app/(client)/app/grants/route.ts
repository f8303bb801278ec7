import { readAccountGrants } from "@/lib/client/nextauth/grants";
import { readSessionToken } from "@/lib/client/nextauth/session";

/** The signed-in user's grants, as the authorization server answered this app's server (its JSON, never the token). */
export async function GET() {
  const answer = await readAccountGrants(await readSessionToken());
  if ("error" in answer)
    return Response.json(
      { error: "login_required", error_description: answer.error },
      { status: 401, headers: { "Cache-Control": "no-store" } },
    );
  return Response.json(answer.body, { status: answer.status || 502, headers: { "Cache-Control": "no-store" } });
}

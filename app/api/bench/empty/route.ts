/**
 * The framework's own ceiling for `npm run bench` (scenario 1): a dynamic route handler that does
 * nothing, so every other scenario is measured as a ratio to what Next.js itself costs on this machine.
 */
export const dynamic = "force-dynamic";

export function GET() {
  return new Response("ok");
}

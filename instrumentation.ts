/**
 * Runs once when the server starts. The checks use Node.js (process.exit), so they live in
 * instrumentation-node.ts, imported on the Node.js runtime only.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}

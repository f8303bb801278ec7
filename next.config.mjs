/** Pages where a user signs in or grants access: never framed (RFC 9700 §4.16), their URL never sent to another site. */
const interactionHeaders = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cache-Control", value: "no-store" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A second build beside the first (for parallel work or a split-origin run) can use another folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `NEXT_OUTPUT=standalone npm run build` also writes <distDir>/standalone/server.js, a self-contained
  // server (`npm run bench -- --standalone` measures it against `next start`; docs/performance.md).
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  reactStrictMode: true,
  // `NEXT_PROFILE_BUILD=1`: server code left unminified, so CPU profiles name its functions (scripts/bench/profile.ts).
  experimental: {
    ...(process.env.NEXT_PROFILE_BUILD ? { serverMinification: false } : {}),
    // Server actions read their bodies only up to this: the largest form, /clients/new's ten redirect
    // URIs, is about 20 KB (Next.js's default is 1 MB). lib/oversized-actions.ts answers a longer one 413.
    serverActions: { bodySizeLimit: "64kb" },
  },
  poweredByHeader: false,
  // Keep a request's URL as it came. Without this, NextRequest rewrites a 127.x.x.x or [::1] host to
  // "localhost", and next-auth, which rebuilds each request on AUTH_URL through NextRequest, would
  // build its callback URL on localhost while the authorization request used APP_URL (redirect_uri mismatch).
  skipProxyUrlNormalize: true,
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  async headers() {
    return [
      { source: "/login", headers: interactionHeaders },
      { source: "/consent", headers: interactionHeaders },
      { source: "/logout", headers: interactionHeaders },
      { source: "/grants", headers: interactionHeaders },
      { source: "/instructor", headers: interactionHeaders },
      { source: "/instructor/reset", headers: interactionHeaders },
      { source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] },
    ];
  },
};

export default nextConfig;

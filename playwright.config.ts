import { defineConfig, devices } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { testDatabaseUrl } from "./e2e/support/database";

/**
 * One fresh server for the run: the built app on a free port with its own SQLite file (or its own
 * PostgreSQL database when E2E_POSTGRES_URL names a server, as `npm run test:postgres` does). Workers
 * re-read this file, so the port chosen by the main process is passed on through the environment.
 */
process.env.E2E_PORT ??= execFileSync(process.execPath, [
  "-e",
  "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
])
  .toString()
  .trim();
const port = process.env.E2E_PORT;
// 127.0.0.1, not localhost: a workshop joins by address, and next-auth once worked only on localhost.
const baseURL = process.env.BASE_URL ?? `http://127.0.0.1:${port}`;

// The suites introspect as the protected API's client (e2e/support/oauth.ts), which a server registers
// only when told to, and never with its published demo secret outside development.
process.env.INTROSPECTION_CLIENTS ??= "resource-server";
process.env.RS_CLIENT_SECRET ??= "e2e-resource-server-secret";

/** Debian's chromium where Playwright's own browser is not installed (no browser downloads here). */
const systemChromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "api", testMatch: /api\/.*\.spec\.ts/ },
    { name: "chromium", testMatch: /ui\/.*\.spec\.ts/, use: { ...devices["Desktop Chrome"] } },
    // The kit others copy (e2e/kit, e2e/README.md): its fixtures, test mode, and the annotated example.
    { name: "kit", testMatch: /kit\/.*\.spec\.ts/, use: { ...devices["Desktop Chrome"] } },
  ],
  webServer: process.env.BASE_URL
    ? undefined
    : {
        command: "node scripts/serve-fresh.mjs",
        url: `${baseURL}/.well-known/openid-configuration`,
        // Test mode gives each worker users of its own (e2e/kit/fixtures.ts); nothing here resets this shared server.
        env: {
          PORT: port,
          APP_URL: baseURL,
          DATABASE_URL: testDatabaseUrl(`e2e-${port}`),
          TEST_MODE: "on",
          INTROSPECTION_CLIENTS: process.env.INTROSPECTION_CLIENTS,
          RS_CLIENT_SECRET: process.env.RS_CLIENT_SECRET,
        },
        reuseExistingServer: false,
        // SIGTERM first, so that serve-fresh removes its database (SQLite file or PostgreSQL database).
        gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
        timeout: 120_000,
        stdout: "ignore",
        stderr: "pipe",
      },
});

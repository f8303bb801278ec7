import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { freePort } from "../support/server";

/** Configuration is validated at start: a wrong value stops the server with a message naming the variable. */
test("a wrong variable stops the server at start, naming the variable", async () => {
  const port = await freePort();
  const run = spawnSync("npx", ["next", "start", "-p", String(port)], {
    cwd: path.resolve(__dirname, "../.."),
    env: { ...process.env, CODE_TTL_SECONDS: "0", APP_URL: "localhost:3000", DATABASE_URL: "mysql://db/x" },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain("CODE_TTL_SECONDS");
  expect(run.stderr).toContain("APP_URL: must be an absolute http(s) URL");
  expect(run.stderr).toContain("DATABASE_URL");
  expect(run.stderr).toContain("The server did not start.");
});

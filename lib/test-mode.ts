/**
 * Test mode (TEST_MODE=on, never in the demo): endpoints a test suite uses to control the server. A reset
 * of all data to the seed, a test clock that moves the server's time forward (code, token and session
 * expiry in milliseconds instead of minutes), and users created per test worker. With test mode off
 * they do not exist: every request, whatever its method, gets 404, as for any unknown path.
 */
import type { Context } from "./oauth/context";
import { hashPassword } from "./crypto";
import { BodyTooLarge, mediaType, readBody } from "./http";
import { readRuntimeSettings, updateRuntimeSettings } from "./records/runtime-settings";
import { insertUser, userByUsername } from "./records/user";
import { resetToSeed } from "./seed";

const MAX_BODY_BYTES = 4 * 1024;
/** The clock moves forward only, up to ten years in all. */
const MAX_OFFSET_SECONDS = 10 * 365 * 86_400;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
const notFound = () => json(404, { error: "not_found", error_description: "Test mode is off (TEST_MODE)." });
const badRequest = (description: string, status = 400) => json(status, { error: "invalid_request", error_description: description });

class BadInput extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * A JSON object body. Only application/json is accepted: a cross-site form cannot send it, and a
 * cross-site fetch with it needs a CORS preflight, which this server never grants.
 */
async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  if (mediaType(request) !== "application/json") throw new BadInput("The body must be application/json.");
  let text: string;
  try {
    text = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new BadInput(error.message, 413);
    throw error;
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new BadInput("The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new BadInput("The body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** Runs `handle` in test mode only, turning bad input into 400. */
async function testModeOnly(ctx: Context, handle: () => Promise<Response>): Promise<Response> {
  if (!ctx.config.testMode) return notFound();
  try {
    return await handle();
  } catch (error) {
    if (error instanceof BadInput) return badRequest(error.message, error.status);
    throw error;
  }
}

/** POST /api/test/reset: every table back to the seed (lib/seed.ts resetToSeed), the clock back to real time. */
export function handleTestReset(request: Request, ctx: Context): Promise<Response> {
  return testModeOnly(ctx, async () => {
    if (request.method !== "POST") return json(405, { error: "method_not_allowed" });
    await jsonBody(request);
    await resetToSeed(ctx.db, ctx.config);
    return json(200, { reset: true });
  });
}

const clockView = (now: Date, offsetSeconds: number) => ({ now: now.toISOString(), offsetSeconds });

/**
 * GET /api/test/clock: the server's time and its offset from the real clock. POST {"advanceSeconds": n}
 * moves it forward by n seconds; POST {"offsetSeconds": 0} puts it back.
 */
export function handleTestClock(request: Request, ctx: Context): Promise<Response> {
  return testModeOnly(ctx, async () => {
    const current = (await readRuntimeSettings(ctx.db)).clockOffsetSeconds;
    if (request.method === "GET") return json(200, clockView(ctx.now, current));
    if (request.method !== "POST") return json(405, { error: "method_not_allowed" });
    const body = await jsonBody(request);
    const { advanceSeconds, offsetSeconds } = body;
    let next: number;
    if (advanceSeconds !== undefined && offsetSeconds === undefined) {
      if (!Number.isInteger(advanceSeconds) || (advanceSeconds as number) < 1)
        throw new BadInput("advanceSeconds must be a positive integer.");
      next = current + (advanceSeconds as number);
    } else if (offsetSeconds !== undefined && advanceSeconds === undefined) {
      if (!Number.isInteger(offsetSeconds) || (offsetSeconds as number) < 0)
        throw new BadInput("offsetSeconds must be an integer of 0 or more.");
      next = offsetSeconds as number;
    } else {
      throw new BadInput('Send either {"advanceSeconds": n} or {"offsetSeconds": n}.');
    }
    if (next > MAX_OFFSET_SECONDS) throw new BadInput(`The clock can run at most ${MAX_OFFSET_SECONDS} seconds ahead.`);
    await updateRuntimeSettings(ctx.db, { clockOffsetSeconds: next });
    return json(200, clockView(new Date(ctx.now.getTime() + (next - current) * 1000), next));
  });
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,62}$/;

/**
 * POST /api/test/users {"username", "password", "name"?}: a user of the authorization server, so that
 * each test worker signs in as its own user and parallel tests never share a session, consent or note.
 */
export function handleTestUsers(request: Request, ctx: Context): Promise<Response> {
  return testModeOnly(ctx, async () => {
    if (request.method !== "POST") return json(405, { error: "method_not_allowed" });
    const { username, password, name } = await jsonBody(request);
    if (typeof username !== "string" || !USERNAME.test(username))
      throw new BadInput("username must be 3 to 63 characters: a-z, 0-9, '.', '_' or '-'.");
    if (typeof password !== "string" || password.length < 8 || password.length > 256)
      throw new BadInput("password must be 8 to 256 characters.");
    if (name !== undefined && (typeof name !== "string" || name.length > 200))
      throw new BadInput("name must be a string of at most 200 characters.");
    const existing = await userByUsername(ctx.db, username);
    if (existing) return json(409, { error: "conflict", error_description: `The user ${username} exists already.` });
    const user = await insertUser(ctx.db, {
      username,
      passwordHash: await hashPassword(password),
      name: (name as string | undefined) ?? username,
      email: `${username}@example.test`,
      emailVerified: true,
    });
    return json(201, { sub: user.id, username: user.username });
  });
}

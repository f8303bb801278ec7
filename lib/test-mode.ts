/**
 * Test mode (TEST_MODE=on, never in the demo): endpoints a test suite uses to control the server. A reset
 * of all data to the seed, a test clock that moves the server's time forward (code, token and session
 * expiry in milliseconds instead of minutes), and users created per test worker. With test mode off
 * they do not exist: every request, whatever its method, gets 404, as for any unknown path.
 */
import type { Context } from "./oauth/context";
import { hashPassword } from "./crypto";
import { BodyTooLarge, mediaType, readBody } from "./http";
import { errorResponse, OAuthError } from "./oauth/errors";
import { readRuntimeSettings, updateRuntimeSettings } from "./records/runtime-settings";
import { insertUser, userByUsername } from "./records/user";
import { resetToSeed } from "./seed";

const MAX_BODY_BYTES = 4 * 1024;
/** The clock moves forward only, up to ten years in all. */
const MAX_OFFSET_SECONDS = 10 * 365 * 86_400;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
/** Bad input: 400 invalid_request (or the status given: 413 for a body too large). */
const badInput = (description: string, status = 400) => new OAuthError("invalid_request", description, { status });

/**
 * A JSON object body. Only application/json is accepted: a cross-site form cannot send it, and a
 * cross-site fetch with it needs a CORS preflight, which this server never grants.
 */
async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  if (mediaType(request) !== "application/json") throw badInput("The body must be application/json.");
  let text: string;
  try {
    text = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw badInput(error.message, 413);
    throw error;
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw badInput("The body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badInput("The body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** Runs `handle` in test mode only, turning bad input into 400. */
async function testModeOnly(ctx: Context, handle: () => Promise<Response>): Promise<Response> {
  if (!ctx.config.testMode) return errorResponse(new OAuthError("not_found", "Test mode is off (TEST_MODE)."));
  try {
    return await handle();
  } catch (error) {
    if (error instanceof OAuthError) return errorResponse(error);
    throw error;
  }
}

/** POST /api/test/reset: every table back to the seed (lib/seed.ts resetToSeed), the clock back to real time. */
export function handleTestReset(request: Request, ctx: Context): Promise<Response> {
  return testModeOnly(ctx, async () => {
    if (request.method !== "POST") return errorResponse(new OAuthError("method_not_allowed", "Use POST.", { headers: { Allow: "POST" } }));
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
    if (request.method !== "POST")
      return errorResponse(new OAuthError("method_not_allowed", "Use GET or POST.", { headers: { Allow: "GET, POST" } }));
    const body = await jsonBody(request);
    const { advanceSeconds, offsetSeconds } = body;
    let next: number;
    if (advanceSeconds !== undefined && offsetSeconds === undefined) {
      if (!Number.isInteger(advanceSeconds) || (advanceSeconds as number) < 1) throw badInput("advanceSeconds must be a positive integer.");
      next = current + (advanceSeconds as number);
    } else if (offsetSeconds !== undefined && advanceSeconds === undefined) {
      if (!Number.isInteger(offsetSeconds) || (offsetSeconds as number) < 0)
        throw badInput("offsetSeconds must be an integer of 0 or more.");
      next = offsetSeconds as number;
    } else {
      throw badInput('Send either {"advanceSeconds": n} or {"offsetSeconds": n}.');
    }
    if (next > MAX_OFFSET_SECONDS) throw badInput(`The clock can run at most ${MAX_OFFSET_SECONDS} seconds ahead.`);
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
    if (request.method !== "POST") return errorResponse(new OAuthError("method_not_allowed", "Use POST.", { headers: { Allow: "POST" } }));
    const { username, password, name } = await jsonBody(request);
    if (typeof username !== "string" || !USERNAME.test(username))
      throw badInput("username must be 3 to 63 characters: a-z, 0-9, '.', '_' or '-'.");
    if (typeof password !== "string" || password.length < 8 || password.length > 256)
      throw badInput("password must be 8 to 256 characters.");
    if (name !== undefined && (typeof name !== "string" || name.length > 200))
      throw badInput("name must be a string of at most 200 characters.");
    const existing = await userByUsername(ctx.db, username);
    if (existing) return errorResponse(new OAuthError("conflict", `The user ${username} exists already.`));
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

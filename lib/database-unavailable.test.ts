import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { generateKeyPair, SignJWT } from "jose";
import { verifyOwnAccessToken } from "./authorization-server/access-token";
import { errorResponse, toOAuthError } from "./oauth/errors";
import { isDatabaseUnavailable } from "./database-unavailable";
import { openDatabase, type Db } from "./db";
import { createPostgresDatabase, testContext } from "../test/support/db";
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from "../scripts/postgres/migrations";

/** An error as Prisma and its driver adapters throw it (the shapes seen with PostgreSQL stopped under the app). */
const withProps = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

describe("isDatabaseUnavailable", () => {
  it.each([
    ["Prisma: can't reach the server (P1001)", withProps("Can't reach database server at 127.0.0.1:5432", { code: "P1001" })],
    ["Prisma: the server closed the connection (P1017)", withProps("Server has closed the connection.", { code: "P1017" })],
    ["Prisma: no pool connection in time (P2024)", withProps("Timed out fetching a new connection", { code: "P2024" })],
    [
      "a raw query's P2010 around an unreachable server",
      withProps("Raw query failed", {
        code: "P2010",
        meta: {
          driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 } },
        },
      }),
    ],
    [
      "a raw query's P2010 around PostgreSQL shutting down (57P01)",
      withProps("Raw query failed. Code: `57P01`", {
        code: "P2010",
        meta: { driverAdapterError: { cause: { kind: "postgres", code: "57P01", severity: "FATAL" } } },
      }),
    ],
    [
      "the adapter's error for PostgreSQL starting up (57P03)",
      withProps("the database system is starting up", { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P03" } }),
    ],
    ["a connection exception (SQLSTATE class 08)", withProps("x", { cause: { kind: "postgres", code: "08006" } })],
    [
      "a statement timeout (57014)",
      withProps("canceling statement due to statement timeout", { cause: { kind: "postgres", code: "57014" } }),
    ],
    ["a refused socket", withProps("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED", syscall: "connect", errno: -111 })],
    ["node-postgres: the server went away", new Error("Connection terminated unexpectedly")],
    ["pg-pool: the connect timeout", new Error("timeout exceeded when trying to connect")],
    ["node-postgres: the query timeout", new Error("Query read timeout")],
    ["SQLite still locked after its busy timeout", withProps("database is locked", { code: "SQLITE_BUSY" })],
    ["SQLite's busy error through the adapter", withProps("x", { name: "DriverAdapterError", cause: { kind: "SocketTimeout" } })],
  ])("%s: yes", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique constraint (P2002)", withProps("Unique constraint failed", { code: "P2002" })],
    [
      "a raw query's syntax error",
      withProps("Raw query failed", { code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", code: "42601" } } } }),
    ],
    ["a missing table", withProps("x", { cause: { kind: "TableDoesNotExist" } })],
    ["a bug", new TypeError("Cannot read properties of undefined")],
    ["not an error", "P1001"],
    ["nothing", undefined],
  ])("%s: no", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("does not loop on a cyclic cause", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    a.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe("an unavailable database is answered 503 temporarily_unavailable (RFC 6749 §4.1.2.1), not 500", () => {
  it("toOAuthError and errorResponse", async () => {
    const error = withProps("Can't reach database server", { code: "P1001" });
    expect(toOAuthError(error)).toMatchObject({ code: "temporarily_unavailable", status: 503, headers: { "Retry-After": "5" } });
    const response = errorResponse(error);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe("temporarily_unavailable");
    expect(body.error_description).not.toMatch(/127\.0\.0\.1|P1001/);
    // Anything else is still a server_error.
    expect(toOAuthError(new TypeError("bug")).status).toBe(500);
  });
});

describe("an access token is not called invalid because the database is away", () => {
  it("verifyOwnAccessToken passes on the failure to load the signing keys (503), not invalid_token (401)", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT({ client_id: "walkthrough", scope: "openid", jti: "j" })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "k" })
      .setIssuer("http://localhost:3000")
      .setSubject("u")
      .setExpirationTime("5m")
      .sign(privateKey);
    const unreachable = withProps("Can't reach database server", { code: "P1001" });
    const db = { signingKey: { findMany: () => Promise.reject(unreachable) } } as unknown as Db;
    const error = await verifyOwnAccessToken(testContext(db), token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBe(unreachable);
    expect(toOAuthError(error).status).toBe(503);
  });
});

describe("PostgreSQL timeouts: a request never hangs on the database", () => {
  let server: Server | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    await db?.$disconnect().catch(() => {});
    db = undefined;
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it("a server that accepts connections and never answers: the query fails after the connect timeout, as unavailable", async () => {
    const sockets: Socket[] = [];
    server = createServer((socket) => {
      sockets.push(socket);
      server!.once("close", () => socket.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    db = await openDatabase(`postgresql://app:secret@127.0.0.1:${port}/app`, { connectMs: 500, queryMs: 1000 });
    const started = Date.now();
    const error = await db.user.count().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(sockets.length).toBeGreaterThan(0);
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    for (const socket of sockets) socket.destroy();
  });

  it.skipIf(!process.env.TEST_POSTGRES_URL)(
    "a statement that runs past the query timeout is cancelled, as unavailable, and the pool goes on",
    async () => {
      const { url, drop } = await createPostgresDatabase(process.env.TEST_POSTGRES_URL!);
      try {
        await applyPostgresMigrations(url, { dir: POSTGRES_MIGRATIONS_DIR });
        db = await openDatabase(url, { queryMs: 500 });
        const started = Date.now();
        const error = await db.$queryRawUnsafe("SELECT pg_sleep(5)").then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(Date.now() - started).toBeLessThan(3000);
        expect(isDatabaseUnavailable(error), String(error)).toBe(true);
        expect(await db.user.count()).toBe(0);
      } finally {
        await db?.$disconnect();
        db = undefined;
        await drop();
      }
    },
  );
});

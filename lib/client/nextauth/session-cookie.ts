import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../config";
import { databaseProvider, sqliteFilename } from "../../database-url";

/**
 * next-auth's session cookie: what it is sealed with and what it is called.
 *
 * The secret is AUTH_SECRET, or else one generated on first start and kept in the data directory
 * (beside the SQLite file; `./data` with PostgreSQL), never a value printed in the repository: with
 * one, anyone on a workshop's network could forge a session. Instances on one machine share the file;
 * instances on several machines need AUTH_SECRET.
 */
let generated: { file: string; secret: string } | undefined;

export function authSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  const file = authSecretFile(config.databaseUrl);
  if (generated?.file !== file) generated = { file, secret: readOrCreateSecret(file) };
  return generated.secret;
}

/** Where a generated secret is kept. */
export function authSecretFile(databaseUrl: string): string {
  const database = databaseProvider(databaseUrl) === "sqlite" ? sqliteFilename(databaseUrl) : ":memory:";
  return path.join(database === ":memory:" ? path.resolve("data") : path.dirname(database), "auth-secret");
}

/** Creates the file once, atomically (written aside, then linked: the loser of a race reads the winner's). */
function readOrCreateSecret(file: string): string {
  try {
    return readSecret(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(aside, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  try {
    linkSync(aside, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(aside);
  }
  return readSecret(file);
}

function readSecret(file: string): string {
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32)
    throw new Error(`${file} holds no usable secret (32+ characters); delete it to have a new one made, or set AUTH_SECRET.`);
  return secret;
}

/** RFC 6265bis §4.1.3.2: over https the session cookie takes the `__Host-` prefix (Secure, Path=/, no Domain). */
export const sessionCookieName = (config: Config) => (config.secureCookies ? "__Host-authjs.session-token" : "authjs.session-token");

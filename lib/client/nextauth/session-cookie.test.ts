import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testConfig } from "../../../test/support/db";
import { authSecret, authSecretFile, sessionCookieName } from "./session-cookie";

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "auth-secret-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const configIn = (dir: string, env: Record<string, string> = {}) => testConfig({ DATABASE_URL: `file:${dir}/app.db`, ...env });

describe("next-auth's session secret", () => {
  it("uses AUTH_SECRET when set, and writes nothing", () => {
    const dir = freshDir();
    expect(authSecret(configIn(dir, { AUTH_SECRET: "s".repeat(40) }))).toBe("s".repeat(40));
    expect(() => statSync(path.join(dir, "auth-secret"))).toThrow();
  });

  it("when unset, generates a random one on first start, keeps it beside the database (0600), and reads it back on the next", () => {
    const [a, b] = [freshDir(), freshDir()];
    const first = authSecret(configIn(a));
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(authSecretFile(`file:${a}/app.db`)).toBe(path.join(a, "auth-secret"));
    expect(statSync(path.join(a, "auth-secret")).mode & 0o777).toBe(0o600);
    const other = authSecret(configIn(b));
    expect(other).not.toBe(first);
    // As after a restart: read from the file, not made again.
    expect(authSecret(configIn(a))).toBe(first);
    expect(readFileSync(path.join(a, "auth-secret"), "utf8").trim()).toBe(first);
    expect(first).not.toMatch(/demo/);
  });

  it("refuses a file that holds no usable secret rather than sealing sessions with it", () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, "auth-secret"), "short\n");
    expect(() => authSecret(configIn(dir))).toThrow(/no usable secret/);
  });

  it("keeps a PostgreSQL deployment's secret in ./data", () => {
    expect(authSecretFile("postgresql://u:p@db.example/lab")).toBe(path.resolve("data", "auth-secret"));
  });
});

describe("next-auth's session cookie name", () => {
  it("takes the __Host- prefix over https (RFC 6265bis §4.1.3.2), none over http", () => {
    expect(sessionCookieName(testConfig({ APP_URL: "https://lab.example" }))).toBe("__Host-authjs.session-token");
    expect(sessionCookieName(testConfig({ APP_URL: "http://127.0.0.1:3000" }))).toBe("authjs.session-token");
  });
});

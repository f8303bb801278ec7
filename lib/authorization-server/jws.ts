import { sign, type KeyObject } from "node:crypto";

const base64url = (json: Record<string, unknown>) => Buffer.from(JSON.stringify(json)).toString("base64url");

/**
 * A JWS in compact serialization (RFC 7515 §7.1) signed with ES256: ECDSA P-256 over SHA-256, the
 * signature as R‖S, 64 bytes (RFC 7518 §3.4). The server's tokens are signed here with node:crypto,
 * which signs synchronously; WebCrypto (jose's SignJWT) sends each signature through the thread pool and
 * costs two to three times as much CPU per token. Verification stays with jose everywhere.
 */
export function signEs256(header: { typ: string; kid: string }, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${base64url({ alg: "ES256", ...header })}.${base64url(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

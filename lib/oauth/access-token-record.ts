/**
 * An access token's record, as both servers need it (RFC 7009 §2: revoked tokens are refused): whether
 * it was revoked, when the authorization server ends it (its exp, or earlier: the workshop's "expire
 * now"), and the flow it belongs to.
 */
export type AccessTokenRecord = { revokedAt: Date | null; expiresAt: Date; correlationId: string };

/**
 * The narrow port through which the resource server learns of revocation with RS_REVOCATION_CHECK=jti:
 * a token's record by its jti. It is handed the port in its context (lib/resource-server/server-context.ts),
 * and imports nothing of the authorization server.
 */
export type AccessTokenRecords = (jti: string) => Promise<AccessTokenRecord | null>;

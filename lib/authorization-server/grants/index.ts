import { authorizationCodeGrant } from "./authorization-code";
import { refreshTokenGrant } from "./refresh-token";

/** The grants of the token endpoint (RFC 6749 §4.1.3, §6); a new grant is a new file and a line here. */
export const GRANTS = {
  [authorizationCodeGrant.grantType]: authorizationCodeGrant,
  [refreshTokenGrant.grantType]: refreshTokenGrant,
} as const;

export const GRANT_TYPES = Object.keys(GRANTS);

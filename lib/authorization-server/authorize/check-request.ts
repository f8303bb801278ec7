import type { Client } from "../clients";
import type { Params } from "../params";
import { checkDpopJkt } from "./check-dpop-jkt";
import { checkCodeChallenge } from "./check-pkce";
import { checkMaxAge, checkPrompt } from "./check-prompt";
import { checkRequestObject } from "./check-request-object";
import { checkResponseMode, checkResponseType } from "./check-response-type";
import { checkScope } from "./check-scope";

/**
 * The request's own checks, in order, once its client and redirect URI are known (RFC 6749 §4.1.1,
 * RFC 7636 §4.3, OpenID Connect Core §3.1.2.1, RFC 9449 §10): the same at /oauth/authorize and /oauth/par (RFC 9126 §2.1).
 */
export function checkRequestParameters(client: Client, params: Params) {
  checkResponseType(params.get("response_type"));
  checkResponseMode(params.get("response_mode"));
  const scopes = checkScope(client, params.get("scope"));
  const codeChallenge = checkCodeChallenge(params.get("code_challenge"), params.get("code_challenge_method"));
  const prompt = checkPrompt(params.get("prompt"));
  const maxAge = checkMaxAge(params.get("max_age"));
  checkRequestObject(params);
  const dpopJkt = checkDpopJkt(params.get("dpop_jkt"));
  return { scopes, codeChallenge, prompt, maxAge, dpopJkt };
}

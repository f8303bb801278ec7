import { VALIDATION_STEPS, type CheckResult, type ValidationStep } from "../oauth/api-checks";
import type { Check } from "./errors";

/** Where the pipeline was when it stopped: each stage runs the checks from its first step on. */
export type Stage = "token" | "jwt" | "revocation" | "scope" | "resource";
const FIRST_STEP: Record<Stage, number> = { token: 0, jwt: 1, revocation: 9, scope: 10, resource: VALIDATION_STEPS.length };

/** The step a refusal's check belongs to; the authorization server being unreachable fails the check that needed it. */
function stepOf(check: Check, stage: Stage): ValidationStep | undefined {
  switch (check) {
    case "token-present":
    case "authorization-header":
    case "token-in-query":
    case "token-in-body":
      return "token";
    case "jwt":
    case "alg":
      return "jws";
    case "kid":
    case "signature":
    case "typ":
    case "iss":
    case "aud":
    case "exp":
    case "claims":
    case "revocation":
    case "scope":
      return check;
    case "nbf":
      return "exp";
    case "authorization-server":
      return stage === "jwt" ? "kid" : stage === "revocation" ? "revocation" : undefined;
    default:
      return undefined;
  }
}

/**
 * Every check's result for one request, from where the pipeline stopped and the check that refused it:
 * the checks before it passed, it failed, and the later ones were not run. A failure that is no check's
 * (a server error) fails none: what ran before its stage passed, the rest did not run.
 */
export function validationChecks(stage: Stage, failed?: Check): CheckResult[] {
  const failedStep = failed ? stepOf(failed, stage) : undefined;
  const stop = failedStep ? VALIDATION_STEPS.findIndex((s) => s.id === failedStep) : FIRST_STEP[stage];
  return VALIDATION_STEPS.map((s, i) => ({
    check: s.id,
    result: i < stop ? "passed" : i === stop && failedStep ? "failed" : "not run",
  }));
}

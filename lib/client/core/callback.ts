/** The client's checks of an authorization response: RFC 6749 §4.1.2 and §10.12, RFC 9207 §2.4. */
import { constantTimeEqual } from "../../crypto";

/** One visible check of the client: what was compared, and whether it passed. */
export type Check = {
  name: string;
  pass: boolean;
  /** What the client expected, and what it got (both safe to show). */
  expected?: string;
  actual?: string | null;
  explanation: string;
  rfc: string;
};

/** What the callback received, as the walkthrough stores and shows it. */
export type AuthorizationResponse = {
  code: string | null;
  state: string | null;
  iss: string | null;
  error: string | null;
  errorDescription: string | null;
};

export type CallbackVerdict =
  /** Every check passed and the server sent a code: step 4 may follow. */
  | { outcome: "code"; checks: Check[] }
  /** Every check passed and the server sent an error (RFC 6749 §4.1.2.1), such as access_denied. */
  | { outcome: "error"; checks: Check[] }
  /** A check failed: the response is not this client's to trust, code or error alike. */
  | { outcome: "refused"; checks: Check[]; reason: string };

export type Expected = {
  /** The state this browser's run sent. */
  state: string;
  /** The issuer the client is talking to. */
  issuer: string;
  /** The server's metadata says it sends `iss` (RFC 9207 §3): then a response without it is refused. */
  issRequired: boolean;
};

const NAMES = ["code", "state", "iss", "error", "error_description"] as const;

/** @see RFC 6749 §4.1.2: the parameters of an authorization response, each at most once (§3.1). */
export function readAuthorizationResponse(params: URLSearchParams): { response: AuthorizationResponse; repeated: string[] } {
  const repeated = NAMES.filter((name) => params.getAll(name).length > 1);
  return {
    repeated,
    response: {
      code: params.get("code"),
      state: params.get("state"),
      iss: params.get("iss"),
      error: params.get("error"),
      errorDescription: params.get("error_description"),
    },
  };
}

/** @see RFC 9207 §2.4: the issuer identifier in the response must equal the one the request went to. */
export function checkIssuer(iss: string | null, expected: Expected): Check {
  const base = { name: "iss matches the issuer", expected: expected.issuer, actual: iss, rfc: "RFC 9207 §2.4" };
  if (iss === null) {
    return expected.issRequired
      ? {
          ...base,
          pass: false,
          explanation:
            "The server's metadata promises an iss parameter in every response, and this one has none: it may come from another server (mix-up attack).",
        }
      : {
          ...base,
          pass: true,
          explanation: "The server does not send iss (its metadata does not promise it), so there is nothing to compare.",
        };
  }
  return iss === expected.issuer
    ? {
        ...base,
        pass: true,
        explanation:
          "The response names the authorization server this client sent the browser to, so it is not a response from another server (mix-up attack).",
      }
    : {
        ...base,
        pass: false,
        explanation: "The response names another issuer than the server this client sent the browser to: refused (mix-up attack).",
      };
}

/** @see RFC 6749 §10.12 (and RFC 9700 §4.7): the state must be the one this browser's request carried. */
export function checkState(state: string | null, expected: Expected): Check {
  const base = { name: "state matches", expected: expected.state, actual: state, rfc: "RFC 6749 §10.12" };
  if (state === null)
    return {
      ...base,
      pass: false,
      explanation: "The response carries no state, so the client cannot tell that this browser started the request: refused (CSRF).",
    };
  return constantTimeEqual(state, expected.state)
    ? {
        ...base,
        pass: true,
        explanation:
          "The state is the random value this browser's request carried, so this browser started the flow (no cross-site request forgery).",
      }
    : {
        ...base,
        pass: false,
        explanation:
          "The state is not the one this browser's request carried: someone else's response was pushed into this browser (CSRF): refused.",
      };
}

/**
 * @see RFC 6749 §4.1.2 and §4.1.2.1, RFC 9207 §2.4: the checks of an authorization response, in the
 * order oauth4webapi's validateAuthResponse makes them. An error is believed only when they pass.
 */
export function checkAuthorizationResponse(
  params: URLSearchParams,
  expected: Expected,
): { response: AuthorizationResponse; verdict: CallbackVerdict } {
  const { response, repeated } = readAuthorizationResponse(params);
  const checks = [checkIssuer(response.iss, expected), checkState(response.state, expected)];
  if (repeated.length) {
    checks.push({
      name: "each parameter once",
      pass: false,
      actual: repeated.join(", "),
      explanation: "A parameter appears more than once, so the client cannot know which value to trust.",
      rfc: "RFC 6749 §3.1",
    });
  }
  const failed = checks.find((c) => !c.pass);
  if (failed) return { response, verdict: { outcome: "refused", checks, reason: `${failed.name}: failed` } };
  if (response.error !== null) return { response, verdict: { outcome: "error", checks } };
  if (response.code === null) {
    checks.push({
      name: "a code is present",
      pass: false,
      explanation: "A successful response must carry a code.",
      rfc: "RFC 6749 §4.1.2",
    });
    return { response, verdict: { outcome: "refused", checks, reason: "no code" } };
  }
  return { response, verdict: { outcome: "code", checks } };
}

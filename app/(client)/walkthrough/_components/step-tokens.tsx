import type { ServerMetadata } from "@/lib/client/core/discovery";
import { tokenPreview } from "@/lib/client/core/mask";
import { API_CLOCK_SKEW_SECONDS } from "@/lib/client/core/resource-request";
import type { StoredRun } from "@/lib/client/walkthrough/run-store";
import { ActionButton } from "./action-button";
import { Checks } from "./checks";
import { Cited } from "@/app/_components/cited";
import { Countdown } from "./countdown";
import { HttpExchangeView } from "./http-exchange";
import { JwtView } from "./jwt-view";
import { StepSection, ValueTable, type StepMark } from "./step-section";
import { clockTime } from "@/app/_components/clock-time";

/** Step 4: the code exchange on the back channel, as sent and as answered. */
export function StepExchange({
  run,
  metadata,
  clientId,
  clientSecretPreview,
  current,
  finished,
}: {
  run: StoredRun;
  metadata?: ServerMetadata;
  clientId: string;
  /** Undefined for a public client, which has no secret. */
  clientSecretPreview?: string;
  current: StepMark;
  finished: boolean;
}) {
  const { callback, exchange } = run.data;
  const ready = callback?.verdict.outcome === "code" && !exchange;
  return (
    <StepSection
      id="step-4"
      number="4"
      title="The client's server exchanges the code for tokens"
      current={current}
      done={
        finished && exchange
          ? `the client's server sent the code with its credentials and the PKCE verifier to the token endpoint: ${exchange.exchange.response?.status ?? "no answer"}.`
          : undefined
      }
    >
      <p>
        This request goes from the client&apos;s server straight to the token endpoint (the back channel): the browser never sees it. The
        client proves who it is with its secret, and proves it made the request of step 1 with the PKCE <code>code_verifier</code>.
      </p>
      <ValueTable
        caption="The client's registration"
        rows={[
          { name: "client_id", value: clientId, meaning: "The client's public identifier." },
          ...(clientSecretPreview === undefined
            ? [
                {
                  name: "token_endpoint_auth_method",
                  value: "none",
                  meaning:
                    "A public client has no secret: it sends only its client_id, and the PKCE code_verifier proves it made the request of step 1 (RFC 6749 §2.1, RFC 7636).",
                },
              ]
            : [
                {
                  name: "token_endpoint_auth_method",
                  value: "client_secret_post",
                  meaning: "The secret goes in the form body (RFC 6749 §2.3.1).",
                },
                {
                  name: "client_secret",
                  value: clientSecretPreview,
                  meaning: "Masked: the secret stays on the client's server and never reaches your browser.",
                },
              ]),
          {
            name: "token_endpoint",
            value: metadata?.token_endpoint ?? "(metadata unavailable)",
            meaning: "From the server's metadata (discovery).",
          },
        ]}
      />
      {ready && (
        <ActionButton run={run.id} intent="exchange">
          Exchange the code for tokens
        </ActionButton>
      )}
      {!callback && <p className="text-slate-600">Not yet: the code arrives in step 3.</p>}
      {exchange && (
        <>
          {!exchange.ok && exchange.error && (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
              The token endpoint refused the exchange: <code>{exchange.error.error}</code> (<Cited text="RFC 6749 §5.2" />)
              {exchange.error.description ? `: ${exchange.error.description}` : ""}
            </p>
          )}
          <div id="exchange" className="scroll-mt-4 rounded-lg border border-slate-300 p-2 sm:p-4">
            <HttpExchangeView http={exchange.exchange} networkError={exchange.exchange.networkError} label="The code exchange" />
          </div>
        </>
      )}
    </StepSection>
  );
}

/** Step 5: the tokens, decoded and explained; the ID token validated; the access token's countdown. */
export function StepTokenResponse({ run, now, current, finished }: { run: StoredRun; now: string; current: StepMark; finished: boolean }) {
  const { tokens, idToken, idTokenChecks } = run.data;
  return (
    <StepSection
      id="step-5"
      number="5"
      title="The authorization server returns an access token and a refresh token"
      current={current}
      done={
        finished && tokens
          ? `the client holds ${["an access token", tokens.refreshToken ? "a refresh token" : "", idToken ? `an ID token (${idTokenChecks?.valid ? "valid" : "not valid"})` : ""].filter(Boolean).join(", ")}; granted: ${tokens.scope ?? "as requested"}.`
          : undefined
      }
    >
      {!tokens && <p className="text-slate-600">Not yet: the tokens arrive with the answer to step 4.</p>}
      {tokens && (
        <>
          <p>
            The tokens are kept on the client&apos;s server, in this run; your browser only sees masked previews. The access token is for
            the API; the refresh token gets new access tokens; the ID token tells the client who signed in.
          </p>
          <ValueTable
            caption="The client's current tokens"
            rows={[
              {
                name: "access_token",
                value: tokenPreview(tokens.accessToken),
                meaning: "A JWT for the API (RFC 9068), used as a Bearer token.",
              },
              {
                name: "expires",
                value: tokens.expiresAt ? (
                  <Countdown
                    label="Time left before the access token expires"
                    now={now}
                    until={tokens.expiresAt}
                    skewSeconds={API_CLOCK_SKEW_SECONDS}
                    expiredText="expired: the API refuses it now"
                  />
                ) : (
                  "not said"
                ),
                meaning: tokens.expiresAt
                  ? `expires_in ${tokens.expiresIn} s after ${clockTime(tokens.receivedAt)}: at ${clockTime(tokens.expiresAt)}.`
                  : undefined,
              },
              { name: "scope", value: tokens.scope ?? "(as requested)", meaning: "What the server granted." },
              {
                name: "refresh_token",
                value: tokens.refreshToken ? tokenPreview(tokens.refreshToken) : "none (ask for offline_access)",
                meaning: "Opaque: only the authorization server can read it.",
              },
            ]}
          />
          <details className="rounded-lg border border-slate-300 p-2 sm:p-4" open>
            <summary className="cursor-pointer font-semibold">The access token, decoded</summary>
            <p className="mt-2 text-base text-slate-700">
              A client treats the access token as opaque (RFC 9068 §6): it is decoded here only to show what the resource server will check
              in step 7.
            </p>
            <div className="mt-2">
              <JwtView token={tokens.accessToken} kind="access" title="Access token" />
            </div>
          </details>
          {idToken && (
            <details className="rounded-lg border border-slate-300 p-2 sm:p-4" open>
              <summary className="cursor-pointer font-semibold">The ID token, decoded and validated</summary>
              {idTokenChecks && (
                <p
                  role="status"
                  className={`mt-2 rounded-md p-3 font-semibold ${idTokenChecks.valid ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
                >
                  {idTokenChecks.valid
                    ? "The ID token is valid: the client may sign the user in."
                    : "The ID token is not valid: the client must not sign the user in."}
                </p>
              )}
              {idTokenChecks && <Checks label="ID token validation" checks={idTokenChecks.checks} />}
              <div className="mt-3">
                <JwtView token={idToken} kind="id" title="ID token" />
              </div>
            </details>
          )}
        </>
      )}
    </StepSection>
  );
}

import type { ServerMetadata } from "@/lib/client/core/discovery";
import { explainParameter, explainScope } from "@/lib/client/core/parameters";
import type { StoredRun } from "@/lib/client/walkthrough/run-store";
import { pushedAuthorizationUrl } from "@/lib/client/core/authorization-url";
import { optionsOf, type RunData } from "@/lib/client/walkthrough/run";
import { HttpExchangeView } from "./http-exchange";
import { ScopePicker } from "./scope-picker";
import { StepSection, ValueTable, type StepMark } from "./step-section";
import { clockTime } from "@/app/_components/clock-time";
import { Time } from "@/app/_components/time";

/** Step 1: the values the client made for this request, the scopes, and the authorization URL. */
export function StepAuthorize({
  run,
  metadata,
  clientId,
  redirectUri,
  current,
  finished,
}: {
  run: StoredRun;
  metadata?: ServerMetadata;
  clientId: string;
  redirectUri: string;
  current: StepMark;
  finished: boolean;
}) {
  const { data } = run;
  const locked = !!data.callback;
  return (
    <StepSection
      id="step-1"
      number="1"
      title="The client sends the browser to the authorization server"
      current={current}
      done={
        finished
          ? `${data.pushed?.ok ? "the client pushed the request (RFC 9126), then " : ""}the browser went to the authorization server${data.sentAt ? ` at ${clockTime(data.sentAt)}` : ""}, asking for ${data.scopes.join(" ")}.`
          : undefined
      }
    >
      <p>
        The client&apos;s server made four random values for this run and keeps them. Three travel in the authorization URL; the{" "}
        <strong>code_verifier</strong> stays on the server until step 4.
      </p>
      <ValueTable
        caption="Generated for this run"
        rows={[
          { name: "state", value: data.state, meaning: explainParameter("state") },
          {
            name: "code_verifier",
            value: data.codeVerifier,
            meaning:
              "32 random bytes, base64url: the secret half of PKCE. It is kept on the client's server and sent only with the code, in step 4 (RFC 7636 §4.1). Shown here for learning; a real client never shows it.",
          },
          {
            name: "code_challenge",
            value: data.codeChallenge,
            meaning:
              "BASE64URL(SHA-256(code_verifier)), method S256: the public half, sent now. Whoever redeems the code must know the verifier (RFC 7636 §4.2).",
          },
          { name: "nonce", value: data.nonce, meaning: explainParameter("nonce") },
          {
            name: "correlation id",
            value: run.correlationId,
            meaning:
              "Not a protocol parameter: derived from code_challenge, it names this run's events at every role (the sequence diagram below).",
          },
        ]}
      />
      {metadata ? (
        <ScopePicker
          run={run.id}
          endpoint={metadata.authorization_endpoint}
          locked={locked}
          request={{
            clientId,
            redirectUri,
            state: data.state,
            nonce: data.nonce,
            codeChallenge: data.codeChallenge,
            ...(data.dpop ? { dpopJkt: data.dpop.key.thumbprint } : {}),
          }}
          scopes={(metadata.scopes_supported ?? data.scopes).map((name) => ({ name, description: explainScope(name) }))}
          selected={data.scopes}
          prompt={data.prompt}
          pushed={optionsOf(data).par}
        />
      ) : (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          The authorization server&apos;s metadata is unavailable, so the authorization URL cannot be built.
        </p>
      )}
      {data.pushed && metadata && <PushedRequest pushed={data.pushed} endpoint={metadata.authorization_endpoint} clientId={clientId} />}
      {locked && (
        <p className="rounded-md bg-slate-100 p-3">
          This request has been answered. Its state and PKCE pair are used up: <strong>Start over</strong> for a new one.
        </p>
      )}
      {data.sentAt && !data.callback && (
        <p>
          The browser was sent to the authorization server at <Time iso={data.sentAt} />. You can send it again if you came back without
          finishing.
        </p>
      )}
    </StepSection>
  );
}

/** Step 1 with PAR (RFC 9126): the push on the back channel and its answer, then the short link the browser follows. */
function PushedRequest({ pushed, endpoint, clientId }: { pushed: NonNullable<RunData["pushed"]>; endpoint: string; clientId: string }) {
  return (
    <section aria-labelledby="pushed-heading" className="space-y-3 rounded-lg border border-slate-300 p-4">
      <h3 id="pushed-heading" className="text-xl font-semibold">
        The pushed authorization request (RFC 9126)
      </h3>
      <p>
        The client&apos;s server sent the request to the authorization server directly, authenticated as at the token endpoint. The server
        checked all of it there and answered with a <code className="font-mono">request_uri</code>: a one-time reference, bound to this
        client, that expires in {pushed.expiresIn ?? "a few"} seconds. Nothing in the link can change the request: a changed or added
        parameter is refused.
      </p>
      <HttpExchangeView http={pushed.exchange} networkError={pushed.exchange.networkError} label="The push" />
      {pushed.requestUri && (
        <figure>
          <figcaption className="font-semibold">The link the browser follows: only client_id and request_uri</figcaption>
          <p className="mt-1 break-all rounded-md bg-slate-100 p-3 font-mono text-base">
            {pushedAuthorizationUrl(endpoint, clientId, pushed.requestUri)}
          </p>
        </figure>
      )}
    </section>
  );
}

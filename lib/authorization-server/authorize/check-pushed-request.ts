import type { Config } from "../../config";
import { hashToken } from "../../crypto";
import type { Context } from "../../oauth/context";
import { invalidRedirectTarget, OAuthError } from "../../oauth/errors";
import { pushedRequestById, takePushedRequest } from "../../records/pushed-request";
import type { Client } from "../clients";
import type { Params } from "../params";

/** RFC 9126 §2.2: the form of the references /oauth/par hands out. */
export const REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

/** The front channel's parameters beside a pushed request's reference (RFC 9126 §4). */
const FRONT_CHANNEL_PARAMETERS = new Set(["client_id", "request_uri"]);

/**
 * RFC 9126 §4: the authorization request behind a `request_uri`, which this client pushed, used once
 * and before it expires. Any other parameter in the link is refused, not ignored (RFC 9126 §4 allows
 * either): a link whose scope or redirect_uri was changed is an error, never a silently different
 * request. Until the pushed request is found nothing is redirected, so each refusal is an error page.
 */
export async function takePushed(ctx: Context, client: Client, front: Params): Promise<Params> {
  const extra = [...front.keys()].filter((name) => !FRONT_CHANNEL_PARAMETERS.has(name));
  if (extra.length > 0) {
    throw invalidRedirectTarget(
      `A pushed request's link carries only client_id and request_uri; this one also has ${extra.slice(0, 5).join(", ")}. ` +
        "The request's parameters come from the push, so a changed link cannot change them (RFC 9126 §4).",
    );
  }
  const requestUri = front.get("request_uri")!;
  if (!requestUri.startsWith(REQUEST_URI_PREFIX)) {
    throw invalidRedirectTarget(
      "The request_uri must be one that this server's pushed authorization request endpoint issued (RFC 9126 §2.2).",
    );
  }
  const id = hashToken(requestUri);
  const pushed = await takePushedRequest(ctx.db, id, client.id, ctx.now);
  if (pushed === null) {
    const left = await pushedRequestById(ctx.db, id);
    throw invalidRedirectTarget(
      !left
        ? "The request_uri is unknown or was used already: each pushed request is used once. Push the request again."
        : left.clientId !== client.id
          ? "The request_uri was pushed by another client: a pushed request is bound to its client."
          : "The request_uri has expired. Push the request again.",
    );
  }
  return new Map(JSON.parse(pushed) as [string, string][]);
}

/** RFC 9126 §5 and §6: a client registered with require_pushed_authorization_requests, or every client with REQUIRE_PAR=on. */
export function checkPushRequired(config: Config, client: Client, pushed: boolean): void {
  if (pushed || !(config.requirePar || client.requirePar)) return;
  const who = config.requirePar ? "This server" : "This client's registration";
  throw new OAuthError(
    "invalid_request",
    `${who} requires pushed authorization requests: POST the request to the pushed authorization request endpoint, then send only client_id and request_uri here (RFC 9126).`,
  );
}

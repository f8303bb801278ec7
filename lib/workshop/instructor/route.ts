import "server-only";
import { getConfig } from "../../config";
import { modeOnlyFallback } from "../../http";
import type { Context } from "../../oauth/context";
import { requestContext } from "../../server-context";

/**
 * The route of one instructor form: POST runs its handler with the request's context; every other
 * method, like POST itself outside workshop mode (the handlers check), is 404 outside workshop mode and
 * 405 in it (modeOnlyFallback).
 */
export function instructorPostRoute(handle: (request: Request, ctx: Context) => Promise<Response>) {
  const otherMethods = modeOnlyFallback(() => getConfig().workshop.enabled, "POST");
  return {
    POST: async (request: Request) => handle(request, await requestContext()),
    GET: otherMethods,
    HEAD: otherMethods,
    PUT: otherMethods,
    DELETE: otherMethods,
    PATCH: otherMethods,
    OPTIONS: otherMethods,
  };
}

import { BodyTooLarge, mediaType, readBody } from "../http";
import { invalidRequest } from "./errors";

const MAX_BODY_BYTES = 16 * 1024;

/**
 * RFC 8259 and RFC 9110 §8.3: a request body that must be JSON. A wrong media type, an oversized body
 * or text that does not parse is invalid_request with a message that says which.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (mediaType(request) !== "application/json")
    throw invalidRequest("request", "The body must be JSON, sent with Content-Type: application/json.");
  let text: string;
  try {
    text = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw invalidRequest("request", "The request body is too large (16 KiB at most).", 413);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest("request", "The body is not valid JSON.");
  }
}

import { invalidRequest } from "./errors";

const MAX_BODY_BYTES = 16 * 1024;

/**
 * RFC 8259 and RFC 9110 §8.3: a request body that must be JSON. A wrong media type, an oversized body
 * or text that does not parse is invalid_request with a message that says which.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw invalidRequest("request", "The body must be JSON, sent with Content-Type: application/json.");
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw invalidRequest("request", "The request body is too large (16 KiB at most).", 413);
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > MAX_BODY_BYTES) throw invalidRequest("request", "The request body is too large (16 KiB at most).", 413);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest("request", "The body is not valid JSON.");
  }
}

import http from "node:http";

export type OversizedAnswer = { status: number; contentType: string; body: string; ms: number };

/**
 * A POST far over any limit, sent the way an attacker would: `declared` announces 50 MB in
 * Content-Length (or, with `chunked`, no length at all) and then only part of it is sent, never the end.
 * A server that reads the body whole before answering never answers; one that refuses the length at
 * once, or stops reading at its limit, answers within the timeout. Rejects if it does not.
 */
export function postOversized(
  url: string,
  headers: Record<string, string>,
  { chunked = false, timeoutMs = 10_000 } = {},
): Promise<OversizedAnswer> {
  const started = Date.now();
  const declared = 50 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, {
      method: "POST",
      headers: { ...headers, ...(chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": String(declared) }) },
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms: the server waits for the whole body`));
    }, timeoutMs);
    request.on("response", (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () => {
        clearTimeout(timer);
        request.destroy();
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers["content-type"] ?? "",
          body: Buffer.concat(parts).toString("utf8"),
          ms: Date.now() - started,
        });
      });
    });
    request.on("error", (error) => {
      // A server that answered and closed may break a write before its answer is read: wait for it briefly.
      setTimeout(() => {
        if (answered) return;
        clearTimeout(timer);
        reject(error);
      }, 1_000);
    });
    // A prefix that makes the body look like what the endpoint expects, then filler: 8 MB at most, never the end.
    request.write(headers["Content-Type"]?.startsWith("application/json") ? '{"client_name":"' : "a=");
    let sent = 0;
    const pump = () => {
      while (!answered && !request.destroyed && sent < 8 * 1024 * 1024) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
    };
    pump();
  });
}

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A reverse proxy that terminates TLS, as nginx or Caddy would in front of the app: https on `port`,
 * plain http to `target`, with the browser's Host kept and X-Forwarded-Proto/-Host/-For added.
 * Its certificate is self-signed for `host` (made with openssl); `certFile` is what a Node.js process
 * that must trust it takes as NODE_EXTRA_CA_CERTS.
 */
export type TlsProxy = { port: number; certFile: string; stop: () => Promise<void> };

export async function startTlsProxy(host: string, target: string, port = 0): Promise<TlsProxy> {
  const dir = mkdtempSync(path.join(tmpdir(), "authcode-lab-tls-"));
  const [keyFile, certFile] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-subj",
      `/CN=${host}`,
      "-addext",
      `subjectAltName=DNS:${host},IP:127.0.0.1`,
    ],
    { stdio: "ignore" },
  );
  const upstream = new URL(target);
  const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const headers = {
      ...req.headers,
      "x-forwarded-proto": "https",
      "x-forwarded-host": req.headers.host ?? host,
      "x-forwarded-for": req.socket.remoteAddress ?? "",
    };
    const forward = http.request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => {
      res.writeHead(502);
      res.end("proxy: upstream unreachable");
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(port, "0.0.0.0", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    certFile,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

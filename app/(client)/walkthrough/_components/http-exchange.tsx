import type { HttpExchange } from "@/lib/events";
import type { DecodedProof } from "@/lib/client/core/dpop";
import { explainParameter, explainProofMember } from "@/lib/client/core/parameters";
import { ValueTable } from "./step-section";

const STATUS: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  302: "Found",
  303: "See Other",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const isFlat = (value: unknown): value is Record<string, string | number | boolean | null> =>
  !!value && typeof value === "object" && !Array.isArray(value) && Object.values(value).every((v) => v === null || typeof v !== "object");

function HeaderValue({ name, value }: { name: string; value: string }) {
  if (name.toLowerCase() === "cache-control" && /no-store/.test(value)) {
    return <mark className="rounded bg-yellow-200 px-1 font-semibold text-slate-900">{value}</mark>;
  }
  return <>{value}</>;
}

function Body({ caption, body }: { caption: string; body: unknown }) {
  if (body === undefined || body === "") return <p className="text-base text-slate-600">{caption}: empty.</p>;
  if (isFlat(body)) {
    return (
      <ValueTable
        caption={caption}
        rows={Object.entries(body).map(([name, value]) => ({ name, value: String(value), meaning: explainParameter(name) }))}
      />
    );
  }
  return (
    <figure>
      <figcaption className="font-semibold">{caption}</figcaption>
      <pre className="mt-1 max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-sm text-slate-50">
        {typeof body === "string" ? body : JSON.stringify(body, null, 2)}
      </pre>
    </figure>
  );
}

/** RFC 9449 §4.2: the request's DPoP proof, decoded, each member with what it is for. */
function ProofView({ proof }: { proof: DecodedProof }) {
  const rows = (record: Record<string, unknown>) =>
    Object.entries(record).map(([name, value]) => ({
      name,
      value: typeof value === "string" || typeof value === "number" ? String(value) : JSON.stringify(value),
      meaning: explainProofMember(name),
    }));
  return (
    <div className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-3">
      <p className="font-semibold text-slate-900">The DPoP proof sent with this request, decoded (its signature is not shown)</p>
      <ValueTable caption="DPoP proof: header" rows={rows(proof.header)} />
      <ValueTable caption="DPoP proof: claims" rows={rows(proof.payload)} />
    </div>
  );
}

/** One HTTP exchange as recorded: the request (method, URL, query, headers, body) and the response. */
export function HttpExchangeView({
  http,
  networkError,
  label,
}: {
  http: HttpExchange & { dpop?: DecodedProof };
  networkError?: string;
  label?: string;
}) {
  const { request, response } = http;
  let query: [string, string][] = [];
  if (request) {
    try {
      query = [...new URL(request.url).searchParams];
    } catch {
      /* a relative URL: no query to show */
    }
  }
  const headerRows = (headers?: Record<string, string>) =>
    Object.entries(headers ?? {}).map(([name, value]) => ({
      name,
      value: <HeaderValue name={name} value={value} />,
      meaning: explainParameter(name),
    }));
  return (
    <div className="space-y-4 text-base">
      {request && (
        <div className="space-y-2">
          <p className="font-semibold text-slate-900">{label ? `${label}: the request` : "Request"}</p>
          <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-100 p-2 font-mono text-sm">
            {request.method} {request.url}
          </pre>
          {query.length > 0 && (
            <ValueTable
              caption="Query parameters"
              rows={query.map(([name, value]) => ({ name, value, meaning: explainParameter(name) }))}
            />
          )}
          {request.headers && Object.keys(request.headers).length > 0 && (
            <ValueTable caption="Request headers" rows={headerRows(request.headers)} />
          )}
          {request.body && <Body caption="Request body" body={request.body} />}
          {http.dpop && <ProofView proof={http.dpop} />}
        </div>
      )}
      {networkError && (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-red-800">
          No answer: {networkError}
        </p>
      )}
      {response && (
        <div className="space-y-2">
          <p className="font-semibold text-slate-900">
            Response:{" "}
            <span className={response.status < 400 ? "text-green-800" : "text-red-800"}>
              {response.status} {STATUS[response.status] ?? ""}
            </span>
          </p>
          {response.headers && Object.keys(response.headers).length > 0 && (
            <ValueTable caption="Response headers" rows={headerRows(response.headers)} />
          )}
          <Body caption="Response body" body={response.body} />
        </div>
      )}
    </div>
  );
}

import http from "node:http";

export type BigPostResult = {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** bytes of the body the client wrote before the answer came or the connection closed */
  sent: number;
  /** how the connection ended when no answer came (ECONNRESET, EPIPE …) */
  error: string | null;
};

/**
 * POST `total` bytes of a form body, generated 64 kB at a time as the socket takes them (never
 * held in memory), with a Content-Length or chunked (`chunked: true`). Stops writing as soon as an
 * answer arrives. Resolves with the answer, or with the error that ended the connection.
 */
export function postBigBody(
  url: string,
  options: { total: number; chunked?: boolean; headers?: Record<string, string>; agent?: http.Agent | false },
): Promise<BigPostResult> {
  const chunk = Buffer.from(`a=${"x".repeat(64 * 1024 - 2)}`);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    let settled = false;
    const settle = (result: Omit<BigPostResult, "sent">) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, sent });
    };
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...options.headers };
    if (!options.chunked) headers["Content-Length"] = String(options.total);
    const req = http.request(url, { method: "POST", headers, agent: options.agent ?? false });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => settle({ status: res.statusCode ?? null, headers: res.headers, body, error: null }));
      res.on("error", () => settle({ status: res.statusCode ?? null, headers: res.headers, body, error: null }));
    });
    req.on("error", (error) => {
      if (!answered) settle({ status: null, headers: {}, body: "", error: (error as NodeJS.ErrnoException).code ?? error.message });
    });
    const write = () => {
      while (!answered && !req.destroyed && sent < options.total) {
        const piece = options.total - sent >= chunk.length ? chunk : chunk.subarray(0, options.total - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", write);
      }
      if (!answered && !req.destroyed) req.end();
    };
    write();
  });
}

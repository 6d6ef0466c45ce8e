import http from "node:http";

export type BigPostResult = {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** bytes of the body the client wrote before the answer came or the connection closed */
  sent: number;
  /** how the connection ended when no answer came (ECONNRESET, EPIPE …) */
  error: string | null;
  /** the server closed the connection (rather than waiting for the rest of the body) */
  serverClosed: boolean;
};

/**
 * POST `total` bytes of a form body (or declare `total` and send only the first `send`), generated 64 kB at a time as the socket takes them (never
 * held in memory), with a Content-Length or chunked (`chunked: true`). Stops writing as soon as an
 * answer arrives. Resolves once the connection has closed, with the answer or the error that
 * ended the connection.
 */
export function postBigBody(
  url: string,
  options: { total: number; chunked?: boolean; headers?: Record<string, string>; agent?: http.Agent | false; send?: number },
): Promise<BigPostResult> {
  const chunk = Buffer.from(`a=${"x".repeat(64 * 1024 - 2)}`);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    let serverClosed = false;
    let outcome: Omit<BigPostResult, "sent" | "serverClosed"> | null = null;
    let socketClosed = false;
    const finish = () => {
      if (outcome && socketClosed) resolve({ ...outcome, sent, serverClosed });
    };
    const settle = (result: Omit<BigPostResult, "sent" | "serverClosed">) => {
      outcome ??= result;
      finish();
    };
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...options.headers };
    if (!options.chunked) headers["Content-Length"] = String(options.total);
    const req = http.request(url, { method: "POST", headers, agent: options.agent ?? false });
    req.on("socket", (socket) => {
      socket.on("end", () => (serverClosed = true));
      socket.on("close", () => {
        socketClosed = true;
        finish();
      });
    });
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
      const send = options.send ?? options.total;
      while (!answered && !req.destroyed && sent < send) {
        const piece = send - sent >= chunk.length ? chunk : chunk.subarray(0, send - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", write);
      }
      // a client that sent only part of what it declared waits for the answer
      if (!answered && !req.destroyed && sent >= options.total) req.end();
    };
    write();
  });
}

/**
 * A body refused past the limit: the 413 page, or, when the client was still sending as the
 * server closed the connection, a reset (the page is lost with the unread bytes; TCP's doing).
 */
export function refusedOrReset(result: BigPostResult) {
  return result.status === 413 || (result.status === null && (result.error === "EPIPE" || result.error === "ECONNRESET"));
}

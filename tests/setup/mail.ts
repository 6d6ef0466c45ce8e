import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on 127.0.0.1 for the email tests: it records what it receives and refuses
 * recipients @bounce.example (550); it can be stopped and started again on the same port. And a
 * reader of the raw MIME messages nodemailer writes (headers, text and HTML parts, attachments).
 */

export type Received = { to: string[]; raw: string };

export class TestSmtp {
  readonly received: Received[] = [];
  /** connection errors inside a mail transaction (a client that went away mid-message) */
  readonly errors: Error[] = [];
  /** messages whose data is being received, not yet acknowledged */
  receiving = 0;
  port = 0;
  private server: SMTPServer | null = null;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  /** From now on every message's data is acknowledged only after `release()`. */
  hold() {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release() {
    this.open?.();
    this.gate = null;
    this.open = null;
  }

  async start() {
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith("@bounce.example")) {
          return callback(Object.assign(new Error("No such user here"), { responseCode: 550 }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        let raw = "";
        this.receiving++;
        stream.on("data", (chunk) => (raw += chunk.toString()));
        stream.on("end", async () => {
          await this.gate;
          this.receiving--;
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    // smtp-server re-emits a connection reset inside a transaction on the server: without a
    // listener it would be an uncaught exception in the test run; tests can assert there was none
    smtp.on("error", (error) => this.errors.push(error));
    await new Promise<void>((resolve) => smtp.listen(this.port, "127.0.0.1", () => resolve()));
    this.port = (smtp.server.address() as { port: number }).port;
    this.server = smtp;
  }

  async stop() {
    const smtp = this.server;
    this.server = null;
    if (smtp) await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The messages received for this address, read. */
  to(address: string) {
    return this.received.filter((m) => m.to.includes(address)).map(readMessage);
  }
}

function decodeWords(value: string) {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
    );
}

function splitHeaders(block: string) {
  const [head, ...rest] = block.split(/\r?\n\r?\n/);
  const headers = new Map<string, string>();
  // unfold (a long header continues on lines that start with white space)
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body: rest.join("\r\n\r\n") };
}

function decodeBody(body: string, encoding: string | undefined) {
  if (encoding?.toLowerCase() === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding?.toLowerCase() === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

type Part = { contentType: string; filename: string | null; content: string };

function leaves(block: string): Part[] {
  const { headers, body } = splitHeaders(block);
  const contentType = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith("multipart/") && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith("--"))
      .flatMap((chunk) => leaves(chunk.replace(/^\r?\n/, "")));
  }
  const disposition = headers.get("content-disposition") ?? "";
  const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? /name="?([^";]+)"?/i.exec(contentType)?.[1] ?? null;
  return [{ contentType, filename, content: decodeBody(body, headers.get("content-transfer-encoding")) }];
}

/** A received message: its top-level headers (lower-cased names, unfolded), subject, parts and .ics. */
export function readMessage(message: Received) {
  const { headers } = splitHeaders(message.raw);
  const parts = leaves(message.raw);
  const part = (type: string) => parts.find((p) => p.contentType.toLowerCase().startsWith(type) && !p.filename);
  return {
    headers,
    subject: decodeWords(headers.get("subject") ?? ""),
    messageId: headers.get("message-id") ?? "",
    text: part("text/plain")?.content ?? "",
    html: part("text/html")?.content ?? "",
    ics: parts.find((p) => p.filename?.endsWith(".ics")) ?? null,
  };
}

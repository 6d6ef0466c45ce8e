/**
 * The server of the crash-safety test (tests/integration/crash-safety.test.ts): a tiny HTTP
 * server on the app's database (db/client.ts, with its pragmas and migrations) whose only
 * endpoint performs a real model write and answers 200 only once it is committed, exactly as a
 * Remix action answers after its model call returns. The test SIGKILLs it in the middle of a
 * burst of concurrent writes.
 *
 *   POST /write?key=K  →  in one IMMEDIATE transaction: findOrCreatePerson (email K@crash.example)
 *                         and an audit entry "crash_test.write" with details { key: K }
 *
 * Prints "listening <port>" when ready. DATABASE_PATH names the database file.
 */
import http from "node:http";
import { getDb } from "../../db/client";
import { recordAudit } from "~/models/audit.server";
import { findOrCreatePerson } from "~/models/people.server";

const db = getDb();

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const key = url.searchParams.get("key");
  if (request.method !== "POST" || url.pathname !== "/write" || !key || !/^[\w-]{1,80}$/.test(key)) {
    response.writeHead(404).end();
    return;
  }
  try {
    const personId = await db.transaction(
      async (tx) => {
        const person = await findOrCreatePerson(tx, {
          givenName: "Crash",
          familyName: key,
          email: `${key}@crash.example`,
          phone: null,
          sex: null,
          organisationId: null,
          position: "Officer on duty during a power cut",
          roleCategory: null,
          nationality: null,
          dietaryNeeds: null,
          accessibilityNeeds: null,
        });
        await recordAudit(tx, {
          userId: null,
          ip: request.socket.remoteAddress ?? null,
          action: "crash_test.write",
          entityType: "person",
          entityId: person.id,
          details: { key },
        });
        return person.id;
      },
      { behavior: "immediate" },
    );
    // only now, after the commit, is the write acknowledged
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ personId }));
  } catch (error) {
    response.writeHead(500, { "Content-Type": "text/plain" }).end(String((error as Error).message));
  }
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});

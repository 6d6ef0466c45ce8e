import { sql } from "drizzle-orm";
import { getDb, queryOne } from "../../db/client";
import { isStopping } from "~/services.server";

/**
 * Public liveness check, answered by a server process itself (never by the supervisor): 200 when
 * the database answers, 503 when it does not or when this process is shutting down.
 */
export async function loader() {
  const unavailable = (status: string) => Response.json({ status }, { status: 503, headers: { "Cache-Control": "no-store" } });
  if (isStopping()) return unavailable("stopping");
  try {
    await queryOne(getDb(), sql`select 1`);
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return unavailable("unavailable");
  }
}

import { sql } from "drizzle-orm";
import { dataVersions } from "../../db/schema";
import { queryOne, type getDb } from "../../db/client";

type Db = ReturnType<typeof getDb>;

/**
 * The version of the data the summaries, the overviews and the filters' choices are counted from:
 * moved by every write to a table they read (triggers of migrations 0008 and 0011), whichever
 * process makes it.
 */
export async function reportsVersion(db: Db) {
  return await versionOf(db, "reports");
}

/**
 * The version of what the every-agency action-plan figures read — plans, their items and members,
 * the officers' organisations, the events' time zones — moved by the triggers of migration 0012
 * only. Registrations and attendance do not move it.
 */
export async function actionPlansVersion(db: Db) {
  return await versionOf(db, "action_plans");
}

/**
 * The version of what the coordinator's "plans to review" and "check-ins due" read besides the
 * plans and events: comments on plans, progress recorded on items, the roles of users (triggers of
 * migration 0030).
 */
export async function planActivityVersion(db: Db) {
  return await versionOf(db, "plan_activity");
}

async function versionOf(db: Db, name: "reports" | "action_plans" | "plan_activity") {
  return (await queryOne<{ n: number }>(db, sql`select n from ${dataVersions} where name = ${name}`))?.n ?? -1;
}

/**
 * Values kept per key until the data version moves, per database connection, the least recently
 * used dropped beyond `limit`. Only for values worked out from tables that move the version. The
 * version is read before computing: a write landing meanwhile can only make an entry look older
 * than it is, never newer.
 */
export function keptUntilDataChanges<T>(limit: number) {
  const perConnection = new WeakMap<object, Map<string, { version: number; value: T }>>();
  return async (db: Db, key: string, compute: () => T | Promise<T>): Promise<T> => {
    const version = await reportsVersion(db);
    let cache = perConnection.get(db.$client);
    if (!cache) perConnection.set(db.$client, (cache = new Map()));
    const hit = cache.get(key);
    cache.delete(key);
    if (hit && hit.version === version) {
      cache.set(key, hit); // most recently used last
      return hit.value;
    }
    const value = await compute();
    cache.set(key, { version, value });
    for (const old of cache.keys()) {
      if (cache.size <= limit) break;
      cache.delete(old);
    }
    return value;
  };
}

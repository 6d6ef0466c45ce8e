import { getDb } from "./db/client";
import { sendActionPlanReminders } from "./app/models/action-plans.server";
import { sendEventReminders } from "./app/models/reminders.server";
getDb();
for (let i = 0; i < 2; i++) {
let t = performance.now(); const r = sendActionPlanReminders(new Date(), { appUrl: "http://x" }); console.log("plans", r, (performance.now() - t).toFixed(0), "ms");
t = performance.now(); const e = (sendEventReminders as any)(new Date(), { appUrl: "http://x" }); console.log("events", e, (performance.now() - t).toFixed(0), "ms");
}

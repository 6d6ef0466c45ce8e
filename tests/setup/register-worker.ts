/**
 * A separate process registering people for one event on the shared database file: used to prove
 * that capacity holds across processes, not only across requests of one process.
 * Usage: tsx tests/setup/register-worker.ts <eventId> <prefix> <count>
 */
import { registerForEvent, type AnonymousRegistrationResult } from "~/models/public-registration.server";

/** New emails register at once: anything else here is a failure of the test's setup. */
function registered(result: AnonymousRegistrationResult) {
  if (result.kind !== "registered") throw new Error("expected a registration, got a confirmation request");
  return result;
}

const [eventId, prefix, howMany] = process.argv.slice(2);
const outcomes: string[] = [];
for (let i = 0; i < Number(howMany); i++) {
  const result = registered(await registerForEvent(
    Number(eventId),
    {
      givenName: `Worker${prefix}`,
      familyName: `Officer${i}`,
      email: `${prefix}-${i}@procs.example`,
      phone: null,
      sex: null,
      organisationId: null,
      position: null,
      roleCategory: null,
      nationality: null,
      dietaryNeeds: null,
      accessibilityNeeds: null,
      consent: true,
      locale: "en",
    },
    { appUrl: "http://localhost:3000", ip: null },
  ));
  outcomes.push(result.status);
}
process.stdout.write(JSON.stringify(outcomes));

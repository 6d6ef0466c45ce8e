import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
import * as setup from "~/routes/setup";
import * as login from "~/routes/login";
import { call, makeRequest, unwrap } from "../setup/helpers";

const form = { name: "Ada Admin", email: "ada@test.example", password: "a long admin passphrase", confirmPassword: "a long admin passphrase" };

describe("first-run setup", () => {
  it("leads an empty installation to /setup, creates the first admin, then disappears", async () => {
    const toSetup = (await call(login.loader, makeRequest("/login"))) as Response;
    expect(toSetup.headers.get("Location")).toBe("/setup");
    expect(unwrap(await call(setup.loader, makeRequest("/setup"))).status).toBe(200);

    const invalid = unwrap(await call(setup.action, makeRequest("/setup", { form: { ...form, email: "ada" } })));
    expect(invalid.status).toBe(400);
    expect(invalid.data.values.name).toBe("Ada Admin");
    expect(await getDb().select().from(users)).toHaveLength(0);

    const created = (await call(setup.action, makeRequest("/setup", { form }))) as Response;
    expect(created.status).toBe(302);
    expect(created.headers.get("Set-Cookie")).toMatch(/convene_session=/);
    const all = await getDb().select().from(users);
    expect(all).toHaveLength(1);
    expect(all[0].role).toBe("admin");
    expect(all[0].passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    // a second setup is refused and changes nothing
    expect(((await call(setup.loader, makeRequest("/setup"))) as Response).status).toBe(404);
    const second = (await call(setup.action, makeRequest("/setup", { form: { ...form, email: "eve@test.example" } }))) as Response;
    expect(second.status).toBe(404);
    expect(await getDb().select().from(users)).toHaveLength(1);
  });
});

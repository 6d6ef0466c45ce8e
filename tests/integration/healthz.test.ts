import { describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";
import { stopServices } from "~/services.server";

/** /healthz tells a balancer or a supervisor the truth about this server process. */
describe("/healthz", () => {
  it("answers 200 while the database answers, then 503 once the process is shutting down", async () => {
    const ok = await loader();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    await stopServices();
    const stopping = await loader();
    expect(stopping.status).toBe(503);
    expect(await stopping.json()).toEqual({ status: "stopping" });
  });
});

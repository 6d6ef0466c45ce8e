import { describe, expect, it } from "vitest";
import { revalidateAfterSecondSubmission } from "~/components/test-taking";

const args = (actionStatus: number | undefined, defaultShouldRevalidate: boolean) =>
  ({ actionStatus, defaultShouldRevalidate }) as Parameters<typeof revalidateAfterSecondSubmission>[0];

describe("a test page's revalidation", () => {
  it("reloads the test after a refused second submission, so that the page shows it submitted", () => {
    expect(revalidateAfterSecondSubmission(args(409, false))).toBe(true);
  });

  it("leaves other refusals and successes to Remix's default", () => {
    expect(revalidateAfterSecondSubmission(args(400, false))).toBe(false);
    expect(revalidateAfterSecondSubmission(args(200, true))).toBe(true);
    expect(revalidateAfterSecondSubmission(args(undefined, true))).toBe(true);
  });
});

import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { keepEvaluationAccess } from "~/auth/evaluation-access-cookie.server";
import { AccessRefused } from "~/components/evaluation-access";
import { pageTitle } from "~/lib/meta";
import { resolveAccess } from "~/models/evaluation-access.server";

/** The translation namespaces this page uses besides the common ones (root.tsx). */
export const handle = { i18n: ["evaluationAccess", "testTaking"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "testTaking.title");

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

/**
 * A personal link from an email, opened without signing in. A valid one is moved into this
 * device's cookie and the browser goes on to /take (the token leaves the address bar at once); an
 * invalid or expired one gets a page that says so and whom to ask: 403 or 410, nothing about
 * anyone. Opening it changes no data (a mail scanner that follows it only gets a cookie of its own).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const result = await resolveAccess(token);
  if (result.ok) {
    return redirect("/take", { headers: { "Set-Cookie": await keepEvaluationAccess(token, result.access.expiresAt), "Cache-Control": "no-store" } });
  }
  return data({ refusal: result.refusal }, { status: result.refusal === "expired" ? 410 : 403, headers: { "Cache-Control": "no-store" } });
}

export default function PersonalLink() {
  const { refusal } = useLoaderData<typeof loader>();
  return <AccessRefused kind={refusal} />;
}

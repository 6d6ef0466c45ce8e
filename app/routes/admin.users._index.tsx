import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { AdminTabs } from "~/components/admin-tabs";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/lib/translation";
import { requireActor } from "~/auth/session.server";
import { Badge } from "~/components/ui/badge";
import { LinkButton } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/page";
import { formatDateTime } from "~/lib/format";
import { listUsers } from "~/models/accounts.server";
import { pageTitle } from "~/lib/meta";

/** The translation namespaces this page uses besides the common ones (root.tsx) and its parents'. */
export const handle = { i18n: ["admin", "fields"] };

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.users.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request, ["admin"]);
  return { users: await listUsers(actor) };
}

export default function AdminUsers() {
  const { users } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <div>
      <PageHeader
        title={t("admin.users.title")}
        crumbs={[{ label: t("nav.admin") }, { label: t("admin.users.title") }]}
        action={<LinkButton to="/admin/users/new">{t("admin.users.invite")}</LinkButton>}
      />
      <AdminTabs />
      <p className="mb-2 text-sm text-slate-600">{t("admin.users.count", { count: users.length })}</p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="sticky top-0 bg-slate-100">
            <tr>
              <th scope="col" className="px-4 py-2 text-start font-semibold">{t("fields.name")}</th>
              <th scope="col" className="px-4 py-2 text-start font-semibold">{t("fields.email")}</th>
              <th scope="col" className="px-4 py-2 text-start font-semibold">{t("fields.role")}</th>
              <th scope="col" className="px-4 py-2 text-start font-semibold">{t("fields.organisation")}</th>
              <th scope="col" className="px-4 py-2 text-start font-semibold">{t("admin.users.state")}</th>
              <th scope="col" className="px-4 py-2 text-start font-semibold">{t("admin.users.lastLogin")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id}>
                <td className="px-4 py-3">
                  <Link to={`/admin/users/${u.id}`} className="font-medium">
                    {u.name}
                  </Link>
                </td>
                <td className="px-4 py-3" dir="ltr">{u.email}</td>
                <td className="px-4 py-3">{t(`roles.${u.role}`)}</td>
                <td className="px-4 py-3">{u.organisationName ?? "—"}</td>
                <td className="px-4 py-3">
                  {u.disabledAt ? (
                    <Badge tone="disabled">{t("admin.users.disabled")}</Badge>
                  ) : u.invitationPending ? (
                    <Badge tone="invited">{t("admin.users.invited")}</Badge>
                  ) : (
                    <Badge tone="active">{t("admin.users.active")}</Badge>
                  )}
                </td>
                <td className="px-4 py-3 text-slate-600">
                  {u.lastLoginAt ? formatDateTime(new Date(u.lastLoginAt), "UTC", i18n.language) : t("admin.users.never")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/**
 * The one HTML shell for every email: table layout and inline styles (what mail clients render),
 * a plain-text part that reads well, and the recipient's language direction.
 */
export type EmailContent = { subject: string; html: string; text: string };

export type EmailBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "button"; label: string; url: string }
  | { kind: "note"; text: string }
  /** A timetable: days, each with its sessions (time, title, and room or other detail). */
  | { kind: "schedule"; days: { label: string; rows: { time: string; title: string; detail?: string }[] }[] };

/**
 * The way out of a non-essential email (reminders): a link in the footer to the recipient's email
 * preferences. Essential emails (account, registration status, schedule changes) never carry it.
 */
export type EmailPreferencesLink = { label: string; url: string };

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export function renderEmail(input: {
  lang: string;
  dir: "ltr" | "rtl";
  subject: string;
  heading: string;
  blocks: EmailBlock[];
  footer: string;
  preferences?: EmailPreferencesLink;
}): EmailContent {
  const align = input.dir === "rtl" ? "right" : "left";
  const body = input.blocks
    .map((block) => {
      switch (block.kind) {
        case "paragraph":
          return `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:#1f2937;text-align:${align}">${escapeHtml(block.text)}</p>`;
        case "note":
          return `<p style="margin:0 0 16px;font-size:14px;line-height:20px;color:#4b5563;text-align:${align}">${escapeHtml(block.text)}</p>`;
        case "button":
          return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 24px"><tr><td style="border-radius:6px;background:#1d4ed8"><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:12px 20px;font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(block.label)}</a></td></tr></table>
<p style="margin:0 0 16px;font-size:13px;line-height:18px;color:#4b5563;word-break:break-all;text-align:${align}">${escapeHtml(block.url)}</p>`;
        case "schedule":
          return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:0 0 16px;border-collapse:collapse">${block.days
            .map(
              (day) =>
                `<tr><td colspan="2" style="padding:12px 0 6px;font-size:15px;font-weight:700;color:#111827;border-bottom:1px solid #e5e7eb;text-align:${align}">${escapeHtml(day.label)}</td></tr>` +
                day.rows
                  .map(
                    (row) =>
                      `<tr><td dir="auto" style="padding:6px 0;padding-${align === "left" ? "right" : "left"}:12px;vertical-align:top;white-space:nowrap;font-size:14px;line-height:20px;color:#1f2937;text-align:${align}">${escapeHtml(row.time)}</td>` +
                      `<td style="padding:6px 0;vertical-align:top;font-size:14px;line-height:20px;color:#1f2937;text-align:${align}">${escapeHtml(row.title)}${
                        row.detail ? `<br><span style="color:#4b5563;font-size:13px">${escapeHtml(row.detail)}</span>` : ""
                      }</td></tr>`,
                  )
                  .join(""),
            )
            .join("\n")}</table>`;
      }
    })
    .join("\n");
  const html = `<!doctype html>
<html lang="${escapeHtml(input.lang)}" dir="${input.dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(input.subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px" dir="${input.dir}">
<tr><td style="padding:20px 24px;border-bottom:1px solid #e5e7eb;font-size:18px;font-weight:700;color:#1e3a8a;text-align:${align}">Convene</td></tr>
<tr><td style="padding:24px">
<h1 style="margin:0 0 16px;font-size:20px;line-height:28px;color:#111827;text-align:${align}">${escapeHtml(input.heading)}</h1>
${body}
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e5e7eb;font-size:12px;line-height:18px;color:#6b7280;text-align:${align}">${escapeHtml(input.footer)}${
    input.preferences
      ? `<br><a href="${escapeHtml(input.preferences.url)}" style="color:#1d4ed8;text-decoration:underline">${escapeHtml(input.preferences.label)}</a>`
      : ""
  }</td></tr>
</table></td></tr></table>
</body></html>`;
  const text = [
    input.heading,
    "",
    ...input.blocks.flatMap((block) => {
      switch (block.kind) {
        case "button":
          return [`${block.label}: ${block.url}`, ""];
        case "schedule":
          return block.days.flatMap((day) => [
            day.label,
            ...day.rows.map((row) => `  ${row.time}  ${row.title}${row.detail ? ` (${row.detail})` : ""}`),
            "",
          ]);
        default:
          return [block.text, ""];
      }
    }),
    "--",
    input.footer,
    ...(input.preferences ? [`${input.preferences.label}: ${input.preferences.url}`] : []),
  ].join("\n");
  return { subject: input.subject, html, text };
}

import QRCode from "qrcode";
import { translator } from "~/i18n";
import { countryName, dayInZone, formatDay, formatDayRange, formatNumber } from "~/lib/format";
import { createPdf, pdfBuffer, text, textHeight, type TextOptions } from "~/lib/pdf.server";

/** What a certificate prints (certificatePdfData in app/models/certificates.server.ts). */
export type CertificatePrint = {
  code: string;
  issuedAt: Date;
  name: string;
  eventTitle: string;
  startDate: string;
  endDate: string;
  locality: string | null;
  country: string;
  timeZone: string;
  hoursAttended: number;
  issuingOrganisation: string;
};

const NAVY = "#1e3a8a";
const GOLD = "#a8893a";
const INK = "#111827";
const MUTED = "#4b5563";

/** The address printed on a certificate (and in its QR code) where anyone can check it. */
export function verificationUrl(appUrl: string, code: string) {
  return `${appUrl}/certificates/${code}`;
}

/**
 * A certificate of completion: one landscape A4 page in the holder's language (right-to-left in
 * Arabic), drawn with the app's PDF writer. A double frame, the holder's name and the event in the
 * middle; at the bottom, who issued it and when on the start side, and on the end side the
 * verification code with a QR code of the public verification address, also printed in full for
 * people who type it.
 */
export async function renderCertificatePdf(certificate: CertificatePrint, options: { locale: string | null; appUrl: string }) {
  const { t, lang, dir } = translator(options.locale);
  const rtl = dir === "rtl";
  const url = verificationUrl(options.appUrl, certificate.code);
  const doc = createPdf({
    title: t("certificates.pdf.documentTitle", { name: certificate.name, event: certificate.eventTitle }),
    subject: t("certificates.pdf.title"),
    author: certificate.issuingOrganisation,
    lang,
    dir,
    layout: "landscape",
    margin: 40,
  });
  const page = { width: doc.page.width, height: doc.page.height };

  // The frame: a strong outer line and a fine gold one inside it, with small corner squares.
  doc.save();
  doc.lineWidth(2.5).strokeColor(NAVY).rect(18, 18, page.width - 36, page.height - 36).stroke();
  doc.lineWidth(0.75).strokeColor(GOLD).rect(26, 26, page.width - 52, page.height - 52).stroke();
  for (const [cx, cy] of [
    [26, 26],
    [page.width - 26, 26],
    [26, page.height - 26],
    [page.width - 26, page.height - 26],
  ]) {
    doc.rect(cx - 3.5, cy - 3.5, 7, 7).fill(GOLD);
  }
  doc.restore();

  const left = 70;
  const width = page.width - 2 * left;
  const centred = (value: string, style: TextOptions) => ({ value, style: { x: left, width, align: "center" as const, ...style } });
  const place = [certificate.locality, countryName(certificate.country, lang)].filter(Boolean).join(", ");
  const dates = formatDayRange(certificate.startDate, certificate.endDate, lang);
  const blocks: { value: string; style: TextOptions; gapAfter?: number; ruleAfter?: boolean }[] = [
    { ...centred(certificate.issuingOrganisation, { size: 11.5, color: MUTED, dir: "auto" }), gapAfter: 14 },
    { ...centred(t("certificates.pdf.title"), { size: 34, bold: true, color: NAVY, lineHeight: 1.25 }), gapAfter: 10, ruleAfter: true },
    { ...centred(t("certificates.pdf.certifies"), { size: 13.5, color: MUTED }), gapAfter: 10 },
    { ...centred(certificate.name, { size: 31, bold: true, color: INK, dir: "auto", lineHeight: 1.3 }), gapAfter: 12 },
    { ...centred(t("certificates.pdf.completed"), { size: 13.5, color: MUTED }), gapAfter: 8 },
    { ...centred(certificate.eventTitle, { size: 18, bold: true, color: NAVY, dir: "auto", lineHeight: 1.3, x: left + 40, width: width - 80 }), gapAfter: 10 },
    { ...centred(place ? t("certificates.pdf.heldIn", { place, dates }) : t("certificates.pdf.heldOn", { dates }), { size: 12.5, color: INK }), gapAfter: 3 },
    centred(t("certificates.pdf.hours", { count: certificate.hoursAttended, formatted: formatNumber(certificate.hoursAttended, lang) }), { size: 12.5, color: INK }),
  ];
  const RULE_GAP = 14;
  const heightOf = (b: (typeof blocks)[number]) => textHeight(doc, b.value, b.style) + (b.gapAfter ?? 0) + (b.ruleAfter ? RULE_GAP : 0);
  // the middle part is centred between the top of the frame and the bottom band
  const bandTop = page.height - 165;
  const total = blocks.reduce((sum, b) => sum + heightOf(b), 0);
  let y = Math.max(52, 48 + (bandTop - 48 - total) / 2);
  for (const b of blocks) {
    y += text(doc, b.value, { ...b.style, y }) + (b.gapAfter ?? 0);
    if (b.ruleAfter) {
      doc.save().moveTo(page.width / 2 - 60, y + 2).lineTo(page.width / 2 + 60, y + 2).lineWidth(1).strokeColor(GOLD).stroke().restore();
      y += RULE_GAP;
    }
  }

  // The bottom band: issuer and date on the start side, verification on the end side.
  const bandLeft = 60;
  const bandRight = page.width - 60;
  const qrSize = 92;
  const columnWidth = 290;
  const startX = rtl ? bandRight - columnWidth : bandLeft;
  const qrX = rtl ? bandLeft : bandRight - qrSize;
  const verifyWidth = 300;
  const verifyX = rtl ? qrX + qrSize + 14 : qrX - 14 - verifyWidth;
  const top = bandTop + 28;
  doc.save().moveTo(bandLeft, bandTop + 10).lineTo(bandRight, bandTop + 10).lineWidth(0.5).strokeColor("#c7c7c7").stroke().restore();

  let sy = top;
  sy += text(doc, t("certificates.pdf.issuedBy"), { x: startX, y: sy, width: columnWidth, size: 9, color: MUTED });
  sy += text(doc, certificate.issuingOrganisation, { x: startX, y: sy, width: columnWidth, size: 12, bold: true, color: INK, dir: "auto" });
  // where it was issued is where the training was held, never where the issuing office sits
  if (place) sy += text(doc, place, { x: startX, y: sy, width: columnWidth, size: 10, color: INK });
  sy += 8;
  sy += text(doc, t("certificates.pdf.issuedOn"), { x: startX, y: sy, width: columnWidth, size: 9, color: MUTED });
  text(doc, formatDay(dayInZone(certificate.issuedAt, certificate.timeZone), lang, "long"), { x: startX, y: sy, width: columnWidth, size: 12, color: INK });

  const qr = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 0, scale: 6, color: { dark: "#111111", light: "#ffffff" } });
  doc.image(qr, qrX, top - 4, { width: qrSize, height: qrSize, link: url });

  let vy = top - 4;
  const align = "end" as const;
  vy += text(doc, t("certificates.pdf.code"), { x: verifyX, y: vy, width: verifyWidth, size: 9, color: MUTED, align });
  vy += text(doc, certificate.code, { x: verifyX, y: vy, width: verifyWidth, size: 15, bold: true, color: INK, align, dir: "ltr" }) + 4;
  vy += text(doc, t("certificates.pdf.verifyAt"), { x: verifyX, y: vy, width: verifyWidth, size: 8, color: MUTED, align });
  // the address on one line if it can be (a long APP_URL gets a smaller size, then wraps)
  let urlSize = 9;
  while (urlSize > 6.5 && textHeight(doc, url, { width: verifyWidth, size: urlSize, dir: "ltr" }) > urlSize * 1.5) urlSize -= 0.5;
  const urlHeight = text(doc, url, { x: verifyX, y: vy, width: verifyWidth, size: urlSize, color: NAVY, align, dir: "ltr" });
  doc.link(verifyX, vy, verifyWidth, urlHeight, url);

  return await pdfBuffer(doc);
}

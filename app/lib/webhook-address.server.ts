import dns from "node:dns";
import net from "node:net";
import { WEBHOOK_URL_MAX } from "./webhooks";

/**
 * Where Convene may send a webhook (the server-side request forgery rules). A subscriber chooses the
 * address, so it must never be a way into the network Convene runs in: only https (plain http only
 * to this machine, outside production), no credentials in the address, and no private, loopback,
 * link-local, shared (CGNAT) or otherwise special address unless an administrator allows private
 * addresses (an internal receiver). Checked when a subscription is saved and again at every
 * delivery, on the addresses the host name resolves to then — the request then connects to the
 * address that was checked, never resolving the name a second time.
 */

/** "private": refused unless an administrator allows private addresses; "never": refused always. */
export type AddressKind = "public" | "private" | "never";

function blockList(entries: [string, number, "ipv4" | "ipv6"][]) {
  const list = new net.BlockList();
  for (const [address, prefix, type] of entries) list.addSubnet(address, prefix, type);
  return list;
}

/** Never a receiver: "this network", multicast, reserved and broadcast, and the cloud metadata addresses. */
const NEVER = blockList([
  ["0.0.0.0", 8, "ipv4"],
  ["224.0.0.0", 4, "ipv4"],
  ["240.0.0.0", 4, "ipv4"],
  ["169.254.169.254", 32, "ipv4"],
  ["::", 128, "ipv6"],
  ["ff00::", 8, "ipv6"],
  ["fd00:ec2::254", 128, "ipv6"],
]);

/** Inside an organisation's network or this machine: only when an administrator allows it. */
const PRIVATE = blockList([
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["::1", 128, "ipv6"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["fec0::", 10, "ipv6"],
]);

/** An IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), or null. */
function embeddedIpv4(address: string): string | null {
  const words = expandIpv6(address);
  if (!words) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated)
  if (zero(0, 5) && (words[5] === 0xffff || words[5] === 0) && !(words[5] === 0 && words[6] === 0)) return v4(words[6], words[7]);
  // 64:ff9b::a.b.c.d (NAT64)
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6], words[7]);
  // 2002:AABB:CCDD::/48 (6to4)
  if (words[0] === 0x2002) return v4(words[1], words[2]);
  return null;
}

/** The eight 16-bit words of an IPv6 address (with or without an IPv4 tail), or null. */
function expandIpv6(address: string): number[] | null {
  if (net.isIPv6(address) === false) return null;
  let text = address.split("%")[0];
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const parts = tail[1].split(".").map(Number);
    text = text.slice(0, -tail[1].length) + `${((parts[0] << 8) | parts[1]).toString(16)}:${((parts[2] << 8) | parts[3]).toString(16)}`;
  }
  const [head, rest] = text.split("::");
  const headWords = head ? head.split(":") : [];
  const restWords = rest !== undefined && rest !== "" ? rest.split(":") : [];
  const missing = 8 - headWords.length - restWords.length;
  const all = rest === undefined ? headWords : [...headWords, ...Array(missing).fill("0"), ...restWords];
  if (all.length !== 8) return null;
  return all.map((w) => parseInt(w, 16));
}

/** What kind of address an IP address is for a webhook (an IPv4 address inside IPv6 counts as itself). */
export function addressKind(address: string): AddressKind {
  const version = net.isIP(address);
  if (version === 4) {
    if (NEVER.check(address, "ipv4")) return "never";
    return PRIVATE.check(address, "ipv4") ? "private" : "public";
  }
  if (version === 6) {
    const inner = embeddedIpv4(address);
    if (inner) {
      const kind = addressKind(inner);
      if (kind !== "public") return kind;
    }
    if (NEVER.check(address, "ipv6")) return "never";
    return PRIVATE.check(address, "ipv6") ? "private" : "public";
  }
  return "never";
}

export type UrlRefusal = "invalid" | "scheme" | "credentials" | "private" | "never";
export type UrlRules = { production: boolean; allowPrivate: boolean };

/** The host of a URL without the brackets of an IPv6 literal or a final dot. */
function bareHost(url: URL) {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
}

/** A host name that always means this machine (RFC 6761), whatever DNS says. */
function isLoopbackName(host: string) {
  return host === "localhost" || host.endsWith(".localhost");
}

function isLoopback(host: string) {
  if (isLoopbackName(host)) return true;
  if (!net.isIP(host)) return false;
  const inner = net.isIPv6(host) ? embeddedIpv4(host) : host;
  return (inner ?? host) === "::1" || /^127\./.test(inner ?? host);
}

/** The refusal an address gets under the rules, or null when it may receive. */
export function refusalOfAddress(address: string, rules: UrlRules): UrlRefusal | null {
  const kind = addressKind(address);
  if (kind === "never") return "never";
  if (kind === "private" && !rules.allowPrivate) return "private";
  return null;
}

/**
 * The rules a URL must follow, checked without the network: a parseable http(s) address of at most
 * 2,000 characters; https, or http to this machine outside production; no user or password; a host
 * that is not a refused address (an IP literal, in any of the spellings URL parsing normalises:
 * `0x7f.1`, `2130706433`, `[::ffff:7f00:1]`) nor a name of this machine.
 */
export function checkWebhookUrl(text: string, rules: UrlRules): { ok: true; url: URL } | { ok: false; reason: UrlRefusal } {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.length > WEBHOOK_URL_MAX || /[\s\u0000-\u001f\u007f]/.test(trimmed)) return { ok: false, reason: "invalid" };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "scheme" };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "credentials" };
  const host = bareHost(url);
  if (host === "") return { ok: false, reason: "invalid" };
  if (url.protocol === "http:" && (rules.production || !isLoopback(host))) return { ok: false, reason: "scheme" };
  if (net.isIP(host)) {
    const refusal = refusalOfAddress(host, rules);
    if (refusal) return { ok: false, reason: refusal };
  } else if (isLoopbackName(host) && !rules.allowPrivate) {
    return { ok: false, reason: "private" };
  }
  return { ok: true, url };
}

export type ResolvedAddress = { address: string; family: 4 | 6 };
export type Lookup = (host: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every address of the name. */
export const systemLookup: Lookup = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export class AddressRefused extends Error {
  constructor(
    readonly reason: UrlRefusal | "unresolved",
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * The one address a delivery connects to: the host resolved once, and EVERY address it resolves to
 * allowed (a name that answers with one public and one private address is refused: which one a
 * client would use is not ours to guess). Throws AddressRefused otherwise.
 */
export async function resolveReceiver(url: URL, rules: UrlRules, lookup: Lookup = systemLookup, timeoutMs = 5000): Promise<ResolvedAddress> {
  const host = bareHost(url);
  if (net.isIP(host)) {
    const refusal = refusalOfAddress(host, rules);
    if (refusal) throw new AddressRefused(refusal, `The address ${host} is not allowed (${refusal}).`);
    return { address: host, family: net.isIPv6(host) ? 6 : 4 };
  }
  if (isLoopbackName(host)) {
    if (!rules.allowPrivate) throw new AddressRefused("private", `${host} is this machine (private addresses are not allowed).`);
    return { address: "127.0.0.1", family: 4 };
  }
  let addresses: ResolvedAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      lookup(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new AddressRefused("unresolved", `The host name ${host} could not be resolved (${(error as Error).message}).`);
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) throw new AddressRefused("unresolved", `The host name ${host} has no address.`);
  for (const a of addresses) {
    const refusal = refusalOfAddress(a.address, rules);
    // the address itself is not told: the deliveries list must not map an internal network's names
    if (refusal) throw new AddressRefused(refusal, `${host} resolves to an address that is not allowed (${refusal}).`);
  }
  return addresses[0];
}

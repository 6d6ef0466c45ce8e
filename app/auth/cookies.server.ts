import { createCookie, type Cookie, type CookieOptions } from "@remix-run/node";
import { config } from "~/config.server";

/**
 * Every cookie Convene sets, named and flagged in one place. Served over https (`APP_URL`
 * https://…), each is `Secure` and its name carries the `__Host-` prefix: the browser then accepts
 * it only over https, for this host alone (no `Domain`) and the whole site (`Path=/`), so neither a
 * plain-http page nor a sibling subdomain can set or overwrite it. Over plain http (development,
 * tests on localhost) the bare name, as browsers refuse the prefix there.
 */
export function cookieName(base: string): string {
  return config().secureCookies ? `__Host-${base}` : base;
}

/** The attributes every cookie shares: the whole site, same-site navigation, Secure over https. */
export function cookieAttributes() {
  return { path: "/", sameSite: "lax" as const, secure: config().secureCookies };
}

const made = new Map<string, Cookie>();

/**
 * A Remix cookie with those attributes (HttpOnly always). Its name and flags follow the
 * configuration when it is used, not when the module was loaded (tests change `APP_URL`).
 */
export function appCookie(base: string, options: Omit<CookieOptions, "path" | "sameSite" | "secure" | "domain">): Cookie {
  const current = () => cookieFor(base, options);
  return {
    get name() {
      return current().name;
    },
    get isSigned() {
      return current().isSigned;
    },
    get expires() {
      return current().expires;
    },
    parse: (header, parseOptions) => current().parse(header, parseOptions),
    serialize: (value, serializeOptions) => current().serialize(value, serializeOptions),
  };
}

function cookieFor(base: string, options: Omit<CookieOptions, "path" | "sameSite" | "secure" | "domain">): Cookie {
  const name = cookieName(base);
  const key = `${name}|${JSON.stringify(options)}`;
  let cookie = made.get(key);
  if (!cookie) made.set(key, (cookie = createCookie(name, { ...cookieAttributes(), httpOnly: true, ...options })));
  return cookie;
}

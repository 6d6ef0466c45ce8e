import { Link as RouterLink, useNavigate, type LinkProps } from "@remix-run/react";
import { forwardRef, useEffect } from "react";

/**
 * The app's links. A link to an absolute path without router options (the links of lists and
 * tables, repeated in every row) is a plain `<a data-nav>`: rendering React Router's Link runs half
 * a dozen hooks for each one, and a roster page of 100 rows spent a seventh of its time on them.
 * A click on such a link still navigates in the page (no full reload) through the one listener of
 * `usePlainLinkNavigation`. Anything else (relative paths, objects, prefetch, replace, state …)
 * stays React Router's Link.
 */
export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link(props, ref) {
  const { to, reloadDocument, replace, state, preventScrollReset, relative, prefetch, viewTransition, discover, ...anchor } = props;
  const plain =
    typeof to === "string" &&
    to.startsWith("/") &&
    !to.startsWith("//") &&
    reloadDocument === undefined &&
    replace === undefined &&
    state === undefined &&
    preventScrollReset === undefined &&
    relative === undefined &&
    prefetch === undefined &&
    viewTransition === undefined &&
    discover === undefined;
  if (plain) return <a ref={ref} href={to} data-nav="" {...anchor} />;
  return <RouterLink ref={ref} {...props} />;
});

/** Is this click one the page should handle itself (a plain left click on a plain link here)? */
function plainLinkTarget(event: MouseEvent): HTMLAnchorElement | null {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const anchor = event.target instanceof Element ? event.target.closest("a[data-nav]") : null;
  if (!(anchor instanceof HTMLAnchorElement)) return null;
  if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download") || anchor.origin !== window.location.origin) return null;
  return anchor;
}

/** Installed once (root layout): plain links navigate in the page like React Router's links. */
export function usePlainLinkNavigation() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const anchor = plainLinkTarget(event);
      if (!anchor) return;
      event.preventDefault();
      navigate(anchor.pathname + anchor.search + anchor.hash);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
}

/**
 * NavLink's rule for the current page, for menus of plain links: the same path, or (unless `end`)
 * a path below it. One `useLocation()` for the whole menu instead of NavLink's hooks per item.
 */
export function isActivePath(pathname: string, to: string, end = false) {
  const path = pathname.toLowerCase();
  const target = to.toLowerCase().replace(/(.)\/$/, "$1");
  if (path === target || path === `${target}/`) return true;
  return !end && path.startsWith(target) && (target.endsWith("/") || path.charAt(target.length) === "/");
}

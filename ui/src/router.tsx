/** A small history-API router: the editor has a handful of pages and needs no more. */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

interface RouterValue {
  path: string;
  search: URLSearchParams;
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue>({ path: '/', search: new URLSearchParams(), navigate: () => undefined });

function currentLocation() {
  return { path: window.location.pathname || '/', search: window.location.search };
}

/** Pages that would lose something if left now (the editor with unsaved changes): each says what. */
const leaveGuards = new Set<{ message: string }>();

/** While `message` is set, leaving this page for another one (a link, the nav bar, Back) asks first. */
export function useLeaveGuard(message: string | null): void {
  useEffect(() => {
    if (!message) return;
    const guard = { message };
    leaveGuards.add(guard);
    return () => void leaveGuards.delete(guard);
  }, [message]);
}

function mayLeave(): boolean {
  for (const guard of leaveGuards) if (!window.confirm(guard.message)) return false;
  return true;
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(currentLocation);
  const shown = useRef(currentLocation());
  useEffect(() => {
    const onPop = () => {
      const next = currentLocation();
      // Back or Forward away from a guarded page: asked first; staying puts the page's URL back.
      if (next.path !== shown.current.path && !mayLeave()) {
        window.history.pushState(null, '', shown.current.path + shown.current.search);
        return;
      }
      shown.current = next;
      setLocation(next);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    // Only leaving the page asks; a new query string on the same page (a tab, a filter) does not.
    if (new URL(to, window.location.href).pathname !== window.location.pathname && !mayLeave()) return;
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    shown.current = currentLocation();
    setLocation(shown.current);
  }, []);
  const value = useMemo(() => ({ path: location.path, search: new URLSearchParams(location.search), navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  return useContext(RouterContext);
}

/** `/flows/:id` against `/flows/abc` → `{ id: 'abc' }`; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const a = path.split('/').filter(Boolean);
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return null;
  }
  return params;
}

export function Link({ to, children, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { navigate } = useRouter();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}

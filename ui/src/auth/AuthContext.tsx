/**
 * Sign-in with an API key. The key and its role live in sessionStorage (or localStorage when the
 * user asks to be remembered); `can(action)` tells the UI what to offer: what a role cannot do is
 * not shown at all.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client';
import type { Role } from '../api/types';

export type Action = 'flows.read' | 'flows.write' | 'versions.read' | 'runs.read' | 'runs.agent' | 'runs.cancel' | 'dashboard.read' | 'keys.manage';

const PERMISSIONS: Record<Action, Role[]> = {
  'flows.read': ['admin', 'editor'],
  'flows.write': ['admin', 'editor'],
  // Published versions only: operators follow a run on its graph (GET /flows/:id/versions/:v).
  'versions.read': ['admin', 'editor', 'operator'],
  'runs.read': ['admin', 'editor', 'operator', 'system'],
  'runs.agent': ['admin', 'operator'],
  'runs.cancel': ['admin', 'operator'],
  'dashboard.read': ['admin', 'editor'],
  // API keys: list, create, revoke (the /api-keys routes are admin-only).
  'keys.manage': ['admin'],
};

export function roleCan(role: Role | null, action: Action): boolean {
  return role !== null && PERMISSIONS[action].includes(role);
}

interface Session {
  key: string;
  role: Role;
}

const STORAGE_KEY = 'cauce.session';

function loadSession(): Session | null {
  for (const storage of [sessionStorage, localStorage]) {
    try {
      const raw = storage.getItem(STORAGE_KEY);
      if (raw) {
        const s = JSON.parse(raw) as Session;
        if (typeof s.key === 'string' && typeof s.role === 'string') return s;
      }
    } catch {
      // unreadable: ignore
    }
  }
  return null;
}

interface AuthValue {
  session: Session | null;
  role: Role | null;
  api: ApiClient;
  can: (action: Action) => boolean;
  signIn: (key: string, remember: boolean) => Promise<Role>;
  signOut: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children, client }: { children: ReactNode; client?: ApiClient }) {
  const [session, setSession] = useState<Session | null>(loadSession);
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const signOut = useCallback(() => {
    for (const storage of [sessionStorage, localStorage]) storage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  const api = useMemo(() => client ?? new ApiClient({ getKey: () => sessionRef.current?.key ?? null, onUnauthorized: () => signOut() }), [client, signOut]);

  const signIn = useCallback(
    async (key: string, remember: boolean) => {
      const trimmed = key.trim();
      const role = await api.roleOf(trimmed);
      const next = { key: trimmed, role };
      (remember ? localStorage : sessionStorage).setItem(STORAGE_KEY, JSON.stringify(next));
      sessionRef.current = next;
      setSession(next);
      return role;
    },
    [api],
  );

  const value = useMemo<AuthValue>(
    () => ({ session, role: session?.role ?? null, api, can: (a) => roleCan(session?.role ?? null, a), signIn, signOut }),
    [session, api, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

export function useApi(): ApiClient {
  return useAuth().api;
}

import { SetMetadata } from '@nestjs/common';

/** The four roles of DESIGN.md. `admin` may do everything. */
export const ROLES = ['admin', 'editor', 'operator', 'system'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_KEY = 'cauce:roles';
export const PUBLIC_KEY = 'cauce:public';

/**
 * The roles (besides admin, always allowed) that may call a route. A route with neither `@Roles`
 * nor `@Public` is admin-only: forgetting the decorator fails closed.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a key (health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export function describeRoles(roles: readonly Role[]): string {
  const all = [...new Set<Role>([...roles, 'admin'])];
  return all.length === 1 ? `the ${all[0]} role` : `one of the roles ${all.join(', ')}`;
}

/** The roles an API key can carry, in the order the form offers them: the everyday roles first, admin last. */
import type { Role } from '../api/types';
import type { MessageKey } from '../i18n';

export const ROLES: { value: Role; label: MessageKey; hint: MessageKey }[] = [
  { value: 'editor', label: 'role.editor', hint: 'keys.roleHint.editor' },
  { value: 'operator', label: 'role.operator', hint: 'keys.roleHint.operator' },
  { value: 'system', label: 'role.system', hint: 'keys.roleHint.system' },
  { value: 'admin', label: 'role.admin', hint: 'keys.roleHint.admin' },
];
export const ROLE_LABEL = Object.fromEntries(ROLES.map((r) => [r.value, r.label])) as Record<Role, MessageKey>;

import { hostAllowed } from '../secrets/host-patterns';

/**
 * Where a secret may go and who may use it, set by an admin when storing it.
 *
 * - `allowedHosts`: the hosts (see activities/secrets/host-patterns.ts) a flow's http call may send
 *   it to. Empty: nowhere (secrets stored before scopes existed stay unusable until an admin sets them).
 * - `flowIds`: the flows whose runs may use it; null: any flow.
 * - `roles`: besides admin, the roles whose keys may publish or test-run a flow that references it
 *   (checked by the API); null: any role that may publish.
 */
export interface SecretScope {
  allowedHosts: string[];
  flowIds: string[] | null;
  roles: string[] | null;
}

export interface ScopedSecret {
  value: string;
  scope: SecretScope;
}

/**
 * Where secret values (API tokens for HTTP headers, provider credentials) come from. Flows only
 * ever name a secret; the value is resolved inside the activity and never written to workflow
 * history, activity output or error messages.
 *
 * `get` is for credentials the operator wired into code with a fixed destination (HubSpot, Twilio,
 * custom activities); anything a flow author chooses the destination of (the http node, a Slack
 * webhook named in a notify node) must use `getScoped` and check the scope with `secretUsable`.
 */
export interface SecretResolver {
  /** The secret's value, or undefined when no secret has that name. */
  get(name: string): Promise<string | undefined>;
  /** The value with its scope, or undefined when no secret has that name. */
  getScoped(name: string): Promise<ScopedSecret | undefined>;
}

/** True when a run of `flowId` may send the secret to this URL's host. */
export function secretUsable(scope: SecretScope, url: URL, flowId: string | undefined): boolean {
  if (scope.flowIds && !(flowId && scope.flowIds.includes(flowId))) return false;
  return hostAllowed(scope.allowedHosts, url);
}

/**
 * The one message for a secret a request may not use, whatever the reason (no such secret, another
 * host, another flow): a flow author must not learn from it which secret names exist. It says what
 * an admin has to do, since secrets stored before scopes existed land here until someone does.
 */
export function secretNotAvailableMessage(name: string, host: string): string {
  return `secret "${name}" is not available for host ${host}: an admin must allow that host (and this flow, if the secret is limited to some) in the secret's allowedHosts (PATCH /api/secrets/${name})`;
}

/** The environment variable that holds a secret: `CAUCE_SECRET_` + the name upper-cased, non-alphanumerics as `_`. */
export function secretEnvName(name: string): string {
  return `CAUCE_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The environment variable with a `CAUCE_SECRET_<NAME>` secret's allowed hosts (comma- or space-separated). */
export function secretHostsEnvName(name: string): string {
  return `CAUCE_SECRET_HOSTS_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * A resolver reading `CAUCE_SECRET_<NAME>` from the environment: the secret `crm-token` is
 * `CAUCE_SECRET_CRM_TOKEN`, and its allowed hosts are `CAUCE_SECRET_HOSTS_CRM_TOKEN`
 * (`api.crm.com,*.crm.com`; unset: the secret may be used by code with a fixed destination, never
 * sent by a flow). Names are restricted to letters, digits, `.`, `_`, `-` (as the flow schema does),
 * so a flow cannot read arbitrary environment variables: only those with the `CAUCE_SECRET_` prefix.
 */
export function createEnvSecretResolver(env: Record<string, string | undefined> = process.env): SecretResolver {
  const get = async (name: string) => {
    if (!/^[A-Za-z0-9_.-]{1,120}$/.test(name)) return undefined;
    const value = env[secretEnvName(name)];
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    get,
    async getScoped(name: string) {
      const value = await get(name);
      if (value === undefined) return undefined;
      const allowedHosts = (env[secretHostsEnvName(name)] ?? '').split(/[\s,]+/).filter((h) => h !== '');
      return { value, scope: { allowedHosts, flowIds: null, roles: null } };
    },
  };
}

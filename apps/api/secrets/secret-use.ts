import type { Pool } from 'pg';
import { hostAllowed } from '../../../activities/secrets/host-patterns';
import { readSecretScopes } from '../../../activities/secrets/secret-store';
import { checkSecretUse, secretReferences, type FlowProblem, type Locale } from '../../../workflows/language';
import type { Actor } from '../auth/actor';

/**
 * The secrets a flow's http nodes send, checked against their scopes before the flow can run
 * anywhere: at validate, publish and the editor's test run. A literal host must be among the
 * secret's allowedHosts (a missing secret fails the same way); a templated one is checked by the
 * activity at run time. The flow must be in the secret's flowIds (when set) and the caller's role
 * in its roles (when set; admin always may): roles are only checked here, since a run does not know
 * who published it.
 *
 * Only the secrets the flow itself names are looked up, and a missing one reads exactly like a
 * refused one, so this tells an editor nothing about other secrets (beyond, for a templated host,
 * that a secret it names exists and is limited to other flows or roles).
 */
export async function secretUseProblems(
  pool: Pool,
  definition: unknown,
  use: { actor: Actor; flowId: string },
  locale: Locale,
  env: Record<string, string | undefined> = process.env,
): Promise<FlowProblem[]> {
  const refs = secretReferences(definition);
  if (refs.length === 0) return [];
  const scopes = await readSecretScopes(
    pool,
    refs.map((r) => r.secret),
    env,
  );
  const flowId = use.flowId.toLowerCase();
  return checkSecretUse(
    definition,
    (ref) => {
      const scope = scopes.get(ref.secret);
      // A templated host is the activity's to check, with the same message for a missing secret: an
      // error here for a missing one would tell the author which names exist.
      if (!scope) return !ref.literalUrl;
      if (scope.flowIds && !scope.flowIds.includes(flowId)) return false;
      if (scope.roles && use.actor.role !== 'admin' && !scope.roles.includes(use.actor.role)) return false;
      return ref.literalUrl ? hostAllowed(scope.allowedHosts, ref.literalUrl) : true;
    },
    locale,
  );
}

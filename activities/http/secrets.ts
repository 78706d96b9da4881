/**
 * Where secret values (API tokens for HTTP headers, provider credentials) come from. Flows only
 * ever name a secret; the value is resolved inside the activity and never written to workflow
 * history, activity output or error messages.
 */
export interface SecretResolver {
  /** The secret's value, or undefined when no secret has that name. */
  get(name: string): Promise<string | undefined>;
}

/** The environment variable that holds a secret: `CAUCE_SECRET_` + the name upper-cased, non-alphanumerics as `_`. */
export function secretEnvName(name: string): string {
  return `CAUCE_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * A stopgap resolver reading `CAUCE_SECRET_<NAME>` from the environment: the secret `crm-token`
 * is `CAUCE_SECRET_CRM_TOKEN`. It stands in until the encrypted secrets table (keyed by
 * `SECRETS_KEY`) exists; that store will implement the same interface. Names are restricted to
 * letters, digits, `.`, `_`, `-` (as the flow schema does), so a flow cannot read arbitrary
 * environment variables: only those with the `CAUCE_SECRET_` prefix.
 */
export function createEnvSecretResolver(env: Record<string, string | undefined> = process.env): SecretResolver {
  return {
    async get(name: string) {
      if (!/^[A-Za-z0-9_.-]{1,120}$/.test(name)) return undefined;
      const value = env[secretEnvName(name)];
      return value === undefined || value === '' ? undefined : value;
    },
  };
}

import { BadRequestException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import { parseSecretsKey } from '../../../activities/secrets/crypto';
import { createPgSecretStore, InvalidSecretError, SECRET_NAME, SecretInfo, SecretScopeChange, SecretStore } from '../../../activities/secrets/secret-store';
import { CauceConfig } from '../../../libs/config/config';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { CAUCE_CONFIG } from '../config.module';
import { recordChange } from '../audit/record-change';
import { PG_POOL } from '../database/pg-pool';
import { SecretInfoDto, SecretListDto, SecretSetDto } from './dto';

/**
 * Stored secrets through `activities/secrets` (AES-256-GCM under SECRETS_KEY, the name as associated
 * data). Values go in and never come out: no route returns one, nothing here logs one, and the audit
 * log records the name, who set it and the scope (hosts, flows, roles: not secret) only.
 *
 * A new secret needs `allowedHosts`: without them no flow could send it anywhere, and an admin who
 * forgot them would only find out when a run fails.
 *
 * Without SECRETS_KEY (or with one that does not parse) setting answers 503; listing and deleting still
 * work, since they never touch a value (that store is built with a throwaway key it never uses).
 */
@Injectable()
export class SecretsService {
  private readonly store: SecretStore;
  private readonly unavailable: string | null;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(CAUCE_CONFIG) config: CauceConfig,
    private readonly audit: AuditService,
  ) {
    let key: Buffer | null = null;
    let problem: string | null = null;
    if (!config.secretsKey) {
      problem =
        'Secrets cannot be stored: SECRETS_KEY is not configured on this API instance (set it to 32 random bytes as 64 hex characters or base64, the same on the API and the workers)';
    } else {
      try {
        key = parseSecretsKey(config.secretsKey);
      } catch (err) {
        problem = `Secrets cannot be stored: ${(err as Error).message}`;
      }
    }
    this.unavailable = problem;
    this.store = createPgSecretStore(pool, key ?? randomBytes(32));
  }

  async list(): Promise<SecretListDto> {
    return { items: (await this.store.list()).map(toDto), writable: this.unavailable === null };
  }

  async set(actor: Actor, name: string, value: string, scope: SecretScopeChange = {}): Promise<SecretSetDto> {
    if (this.unavailable) throw new ServiceUnavailableException(this.unavailable);
    if (scope.allowedHosts === undefined && !(await this.exists(name))) {
      throw new BadRequestException(`allowedHosts is required for a new secret: the hosts flows may send "${name}" to (e.g. ["api.helpdesk.com"])`);
    }
    let created: boolean;
    try {
      ({ created } = await this.store.set(name, value, actor.name, scope));
    } catch (err) {
      // The store's refusals name the secret or the scope field, never the value.
      if (err instanceof InvalidSecretError)
        throw new BadRequestException(err.field === 'value' || err.field === 'name' ? `value: ${err.message}` : err.message);
      throw err;
    }
    await recordChange(this.audit, actor, 'secret.set', { type: 'secret', id: name }, { created, ...scopeChangeDetails(scope) });
    const info = (await this.store.list()).find((s) => s.name === name);
    if (!info) throw new NotFoundException(`Secret ${name} was deleted while it was being set`);
    return { ...toDto(info), created };
  }

  /** Changes where the secret may go without sending its value again (works without SECRETS_KEY: no value is touched). */
  async setScope(actor: Actor, name: string, scope: SecretScopeChange): Promise<SecretInfoDto> {
    let found: boolean;
    try {
      found = await this.store.setScope(name, scope, actor.name);
    } catch (err) {
      if (err instanceof InvalidSecretError) throw new BadRequestException(err.message);
      throw err;
    }
    if (!found) throw new NotFoundException(`Secret ${name} not found`);
    await recordChange(this.audit, actor, 'secret.scope_set', { type: 'secret', id: name }, scopeChangeDetails(scope));
    const info = (await this.store.list()).find((s) => s.name === name);
    if (!info) throw new NotFoundException(`Secret ${name} not found`);
    return toDto(info);
  }

  private async exists(name: string): Promise<boolean> {
    return (await this.store.list()).some((s) => s.name === name);
  }

  async remove(actor: Actor, name: string): Promise<void> {
    if (!(await this.store.delete(name))) throw new NotFoundException(`Secret ${name} not found`);
    await recordChange(this.audit, actor, 'secret.deleted', { type: 'secret', id: name });
  }
}

/** A `:name` path parameter: 400 naming it when it is not a secret name. */
export const secretNameParam = {
  transform(value: string): string {
    if (typeof value !== 'string' || !SECRET_NAME.test(value)) {
      throw new BadRequestException('name must be 1 to 120 letters, digits, ".", "_" or "-"');
    }
    return value;
  },
};

function toDto(s: SecretInfo): SecretInfoDto {
  return {
    name: s.name,
    allowedHosts: s.allowedHosts,
    flowIds: s.flowIds,
    roles: s.roles,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    updatedBy: s.updatedBy,
  };
}

/** The scope fields a change sets, for the audit log (hosts, flows and roles are not secret). */
function scopeChangeDetails(scope: SecretScopeChange): Record<string, unknown> {
  return Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined));
}

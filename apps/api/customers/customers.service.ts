import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Pool } from 'pg';
import { isValidCustomerId, normalizeEmail, normalizePhone, normalizeTag } from '../../../activities/crm/validation';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { CustomerRepository, CustomerRow, isDuplicateEmail } from '../../../libs/customers/customer.repository';
import { recordChange } from '../audit/record-change';
import { PG_POOL } from '../database/pg-pool';
import { CustomerDto, PutCustomerDto, PutCustomerResultDto } from './dto';

const FIELDS = ['name', 'email', 'phone', 'attributes', 'tags'] as const;

/**
 * The built-in CRM's customers (`customers`, shared with the crm.* activities; written through
 * libs/customers, its one writer). PUT replaces the customer (an upsert by id); emails and phones
 * are normalised exactly as the activities do, so a `crm.lookup` by email or phone finds what the
 * API stored.
 */
@Injectable()
export class CustomersService {
  private readonly customers: CustomerRepository;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly audit: AuditService,
  ) {
    this.customers = new CustomerRepository(pool);
  }

  async get(id: string): Promise<CustomerDto> {
    const row = await this.customers.get(id);
    if (!row) throw new NotFoundException(`Customer ${id} not found`);
    return toDto(row);
  }

  async put(actor: Actor, id: string, dto: PutCustomerDto): Promise<PutCustomerResultDto> {
    const next = {
      name: dto.name?.trim() || null,
      email: dto.email ? normalizeEmail(dto.email) : null,
      phone: dto.phone ? normalizePhone(dto.phone) : null,
      attributes: dto.attributes ?? {},
      tags: [...new Set((dto.tags ?? []).map((t) => normalizeTag(t)).filter((t): t is string => t !== null))],
    };
    const old = await this.customers.get(id);
    let row: CustomerRow & { created: boolean };
    try {
      row = await this.customers.replace(id, next);
    } catch (err) {
      if (isDuplicateEmail(err)) {
        throw new ConflictException({ message: `email: ${next.email} already belongs to another customer`, details: { field: 'email' } });
      }
      throw err;
    }
    // Which fields changed, never their values: the audit log is not a copy of the CRM's personal data.
    const changed = old ? FIELDS.filter((f) => JSON.stringify(normalizeForCompare(old[f])) !== JSON.stringify(normalizeForCompare(next[f]))) : [...FIELDS];
    if (row.created || changed.length > 0) {
      await recordChange(this.audit, actor, row.created ? 'customer.created' : 'customer.updated', { type: 'customer', id }, { changed });
    }
    return { ...toDto(row), created: row.created === true };
  }
}

/** A `:id` path parameter: 400 naming it when it is not a customer id. */
export const customerIdParam = {
  transform(value: string): string {
    if (!isValidCustomerId(value) || /[\u0000-\u001f\u007f]/.test(value)) {
      throw new BadRequestException('id must be a customer id of 1 to 200 characters without control characters');
    }
    return value;
  },
};

function normalizeForCompare(v: unknown): unknown {
  return v ?? null;
}

function toDto(row: CustomerRow): CustomerDto {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    attributes: row.attributes ?? {},
    tags: row.tags ?? [],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

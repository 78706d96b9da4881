import { ApplicationFailure } from '@temporalio/common';
import type { CustomerRecord } from '../../contracts/activities';
import { createCrmActivities } from './crm.activities';
import type { CrmAdapter, CustomerChange, NewTicket } from './crm-adapter';
import { normalizeEmail, normalizePhone } from './validation';

/** Records what reaches the adapter: the activities' job is validation and normalisation. */
function recordingAdapter() {
  const calls: { method: string; args: unknown[] }[] = [];
  const adapter: CrmAdapter = {
    name: 'recording',
    async lookup(by, value) {
      calls.push({ method: 'lookup', args: [by, value] });
      return value === 'ana@example.com' ? { id: 'c1', email: value, attributes: {}, tags: [] } : null;
    },
    async update(id: string, change: CustomerChange): Promise<CustomerRecord> {
      calls.push({ method: 'update', args: [id, change] });
      return { id, email: change.email ?? null, attributes: change.attributes, tags: change.addTags };
    },
    async createTicket(ticket: NewTicket) {
      calls.push({ method: 'createTicket', args: [ticket] });
      return { ticketId: 't1', created: true };
    },
  };
  return { adapter, calls };
}

const ctx = { runId: 'run-1', flowId: 'flow-1', nodeId: 'n1', idempotencyKey: 'run-1:n1:1', customerId: 'c-ctx' };

describe('CRM activities: validation and normalisation', () => {
  it('normalises emails and phones', () => {
    expect(normalizeEmail('  Ana.Perez@Example.COM ')).toBe('ana.perez@example.com');
    expect(normalizeEmail('ana@')).toBeNull();
    expect(normalizeEmail('not an email')).toBeNull();
    expect(normalizePhone('+34 600-123 456')).toBe('+34600123456');
    expect(normalizePhone('0034 (600) 123.456')).toBe('+34600123456');
    expect(normalizePhone('call me')).toBeNull();
    expect(normalizePhone('123')).toBeNull();
  });

  it('looks up by normalised value, and a malformed value is simply not found', async () => {
    const { adapter, calls } = recordingAdapter();
    const crm = createCrmActivities({ crm: adapter });
    expect(await crm.crmLookup({ ctx, by: 'email', value: ' ANA@example.com' })).toMatchObject({ found: true, customer: { id: 'c1' } });
    expect(await crm.crmLookup({ ctx, by: 'email', value: 'no es un email' })).toEqual({ found: false, customer: null });
    expect(await crm.crmLookup({ ctx, by: 'phone', value: '' })).toEqual({ found: false, customer: null });
    expect(calls).toEqual([{ method: 'lookup', args: ['email', 'ana@example.com'] }]);
    await expect(crm.crmLookup({ ctx, by: 'fax' as never, value: '1' })).rejects.toMatchObject({ nonRetryable: true });
  });

  it('maps fields to columns and attributes, and rejects a bad email non-retryably', async () => {
    const { adapter, calls } = recordingAdapter();
    const crm = createCrmActivities({ crm: adapter });
    await crm.crmUpdate({
      ctx,
      customerId: 'c1',
      fields: { email: 'ANA@EXAMPLE.COM', phone: '', name: 'Ana', plan: 'gold', oldField: null },
      addTags: ['vip', ' vip ', 'es'],
      removeTags: ['trial'],
    });
    expect(calls[0].args[1]).toEqual({
      email: 'ana@example.com',
      name: 'Ana',
      attributes: { plan: 'gold', oldField: null },
      addTags: ['vip', 'es'],
      removeTags: ['trial'],
    });
    const bad = crm.crmUpdate({ ctx, customerId: 'c1', fields: { email: 'ana@' } });
    await expect(bad).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(bad).rejects.toMatchObject({ nonRetryable: true, type: 'InvalidInput' });
    await expect(crm.crmUpdate({ ctx, customerId: '', fields: { a: 1 } })).rejects.toMatchObject({ nonRetryable: true });
    await expect(crm.crmUpdate({ ctx, customerId: 'c1', fields: { tags: 'x' } })).rejects.toMatchObject({ nonRetryable: true });
    await expect(crm.crmUpdate({ ctx, customerId: 'c1', addTags: [''] })).rejects.toMatchObject({ nonRetryable: true });
  });

  it('opens tickets with the visit key, falling back to the run customer', async () => {
    const { adapter, calls } = recordingAdapter();
    const crm = createCrmActivities({ crm: adapter });
    await crm.crmTicket({ ctx, subject: '  Cobro duplicado ', priority: 'high' });
    expect(calls[0].args[0]).toEqual({
      customerId: 'c-ctx',
      subject: 'Cobro duplicado',
      description: null,
      priority: 'high',
      idempotencyKey: 'run-1:n1:1',
      runId: 'run-1',
    });
    await expect(crm.crmTicket({ ctx, subject: ' ', priority: 'high' })).rejects.toMatchObject({ nonRetryable: true });
    await expect(crm.crmTicket({ ctx, subject: 'x', priority: 'critical' as never })).rejects.toMatchObject({ nonRetryable: true });
  });
});

import { defineActivity, z } from './sdk';

/**
 * The worked example of a custom activity: a customer's loyalty points and tier, read from the
 * built-in CRM (the `loyaltyPoints` attribute). A real integration would call the loyalty system's
 * API here with `context.secret('LOYALTY_API_KEY')` and `context.idempotencyKey`.
 */
export default defineActivity({
  name: 'loyaltyPoints',
  title: { es: 'Puntos de fidelidad', en: 'Loyalty points' },
  description: {
    es: 'Consulta los puntos de fidelidad y el nivel del cliente.',
    en: "Looks up the customer's loyalty points and tier.",
  },
  category: 'crm',
  input: z.object({
    customerId: z.string().min(1).describe('Customer id in the CRM'),
  }),
  output: z.object({
    points: z.number().int().describe('Points balance'),
    tier: z.enum(['bronze', 'silver', 'gold']).describe('Tier: gold from 5000 points, silver from 1000'),
    found: z.boolean().describe('Whether the customer exists'),
  }),
  timeout: '10 seconds',
  async run({ customerId }, { db }) {
    const { rows } = await db.query<{ points: string | null }>(`SELECT attributes->>'loyaltyPoints' AS points FROM customers WHERE id = $1`, [customerId]);
    const points = rows.length ? Math.max(0, Math.trunc(Number(rows[0].points ?? 0)) || 0) : 0;
    const tier = points >= 5000 ? 'gold' : points >= 1000 ? 'silver' : 'bronze';
    return { points, tier, found: rows.length > 0 } as const;
  },
});

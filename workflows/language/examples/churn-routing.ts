/** Churn routing: score the customer and act according to the risk band. */
import type { FlowDefinition } from '../types';
import { edge, node } from './build';

const atLeast = (threshold: number) => ({ '>=': [{ var: 'vars.churnScore' }, threshold] });

export const churnRouting: FlowDefinition = {
  nodes: [
    node('start', 'start', { label: 'Revisión de riesgo', trigger: 'api' }, 0, 0),
    node('lookup', 'crm.lookup', { label: 'Buscar cliente', by: 'email', value: '{{ input.email }}' }, 0, 120),
    node(
      'score',
      'score.churn',
      { label: 'Riesgo de abandono', variable: 'churnScore', features: { daysSincePurchase: { days_since: [{ var: 'customer.lastPurchaseAt' }] } } },
      0,
      240,
    ),
    node(
      'band',
      'switch',
      {
        label: 'Nivel de riesgo',
        cases: [
          { id: 'critical', label: '≥ 0,8', rule: atLeast(0.8) },
          { id: 'high', label: '≥ 0,6', rule: atLeast(0.6) },
          { id: 'medium', label: '≥ 0,4', rule: atLeast(0.4) },
        ],
      },
      0,
      360,
    ),
    node(
      'alertTeam',
      'notify',
      {
        label: 'Avisar a retención',
        channel: 'slack',
        to: '#retencion',
        text: 'Riesgo crítico: {{ customer.name }} ({{ customer.email }}), puntuación {{ vars.churnScore | times: 100 | round }} %.',
      },
      -375,
      480,
    ),
    node(
      'callOffer',
      'message',
      { label: 'Oferta de retención', channel: 'email', text: '{{ customer.name }}, queremos que sigas con nosotros: te regalamos un mes de servicio.' },
      -375,
      600,
    ),
    node(
      'discount',
      'message',
      { label: 'Descuento', channel: 'email', text: 'Hola {{ customer.name }}, tienes un 20 % de descuento en tu próxima renovación.' },
      -125,
      480,
    ),
    node(
      'checkIn',
      'message',
      { label: 'Seguimiento', channel: 'email', text: 'Hola {{ customer.name }}, ¿cómo te va con el servicio? Responde a este correo si necesitas algo.' },
      125,
      480,
    ),
    node('endActed', 'end', { label: 'Acción de retención', outcome: 'completed' }, -125, 720),
    node('endNoAction', 'end', { label: 'Sin riesgo', outcome: 'completed' }, 375, 480),
    node('endUnknown', 'end', { label: 'Cliente no encontrado', outcome: 'failed' }, 250, 240),
  ],
  edges: [
    edge('start', 'next', 'lookup'),
    edge('lookup', 'found', 'score'),
    edge('lookup', 'notFound', 'endUnknown'),
    edge('score', 'next', 'band'),
    edge('band', 'critical', 'alertTeam'),
    edge('band', 'high', 'discount'),
    edge('band', 'medium', 'checkIn'),
    edge('band', 'default', 'endNoAction'),
    edge('alertTeam', 'next', 'callOffer'),
    edge('alertTeam', 'error', 'callOffer'),
    edge('callOffer', 'next', 'endActed'),
    edge('discount', 'next', 'endActed'),
    edge('checkIn', 'next', 'endActed'),
  ],
};

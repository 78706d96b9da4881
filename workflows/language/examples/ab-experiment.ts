/** A/B experiment: two welcome copies, one question, the conversion recorded as a goal. */
import type { FlowDefinition } from '../types';
import { edge, node } from './build';

export const abExperiment: FlowDefinition = {
  nodes: [
    node('start', 'start', { label: 'Alta de cliente', trigger: 'api', channel: 'whatsapp' }, 0, 0),
    node(
      'split',
      'abSplit',
      {
        label: 'Texto de bienvenida',
        experiment: 'welcome-copy',
        variants: [
          { id: 'A', weight: 50 },
          { id: 'B', weight: 50 },
        ],
      },
      0,
      120,
    ),
    node('copyA', 'message', { label: 'Bienvenida A', text: '¡Bienvenido/a, {{ customer.name }}! Ya puedes empezar a usar tu cuenta.' }, -150, 240),
    node('copyB', 'message', { label: 'Bienvenida B', text: '{{ customer.name }}, tu cuenta está lista. Te ayudamos a configurarla en 2 minutos.' }, 150, 240),
    node(
      'ask',
      'ask',
      {
        label: '¿Empezamos?',
        text: '¿Quieres que te guiemos ahora?',
        variable: 'wantsTour',
        options: [
          { label: 'Sí, vamos', value: 'yes', synonyms: ['si', 'vale', 'ok', 'yes'] },
          { label: 'Ahora no', value: 'no', synonyms: ['luego', 'no gracias', 'later'] },
        ],
        invalidText: 'Responde «Sí, vamos» o «Ahora no», por favor.',
        maxAttempts: 2,
        timeout: '2d',
      },
      0,
      360,
    ),
    node('goal', 'goal', { label: 'Acepta la guía', goal: 'onboarding_started' }, -150, 480),
    node('endConverted', 'end', { label: 'Convertido', outcome: 'converted', message: '¡Genial! Empezamos.' }, -150, 600),
    node('endDeclined', 'end', { label: 'No convertido', outcome: 'completed', message: 'Sin problema, aquí estaremos.' }, 150, 600),
  ],
  edges: [
    edge('start', 'next', 'split'),
    edge('split', 'A', 'copyA'),
    edge('split', 'B', 'copyB'),
    edge('copyA', 'next', 'ask'),
    edge('copyB', 'next', 'ask'),
    edge('ask', 'yes', 'goal'),
    edge('ask', 'no', 'endDeclined'),
    edge('ask', 'invalid', 'endDeclined'),
    edge('ask', 'timeout', 'endDeclined'),
    edge('goal', 'next', 'endConverted'),
  ],
};

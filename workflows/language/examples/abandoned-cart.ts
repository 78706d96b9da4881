/**
 * Abandoned cart: remind after an hour, wait a day for the purchase, then try a personalised offer.
 * The first hour is a wait for the purchase, not a delay: a delay keeps the event for later and the
 * reminder would still go to a customer who had already bought.
 */
import type { FlowDefinition } from '../types';
import { edge, node } from './build';

export const abandonedCart: FlowDefinition = {
  nodes: [
    node('start', 'start', { label: 'Carrito abandonado', trigger: 'event', event: 'cart_abandoned', channel: 'email' }, 0, 0),
    node(
      'waitFirstHour',
      'waitForEvent',
      {
        label: 'Esperar 1 hora a la compra',
        event: 'purchase.completed',
        rule: { '==': [{ var: 'event.cartId' }, { var: 'input.cart.id' }] },
        timeout: '1h',
        variable: 'purchase',
      },
      0,
      120,
    ),
    node(
      'reminder',
      'message',
      {
        label: 'Recordatorio',
        text: 'Hola {{ customer.name | default: "" }}, te has dejado {{ input.cart.items | size }} producto(s) en el carrito. ¡Te lo guardamos!',
        buttons: [{ label: 'Volver al carrito', value: 'cart' }],
      },
      0,
      240,
    ),
    node(
      'waitPurchase',
      'waitForEvent',
      {
        label: 'Esperar la compra',
        event: 'purchase.completed',
        rule: { '==': [{ var: 'event.cartId' }, { var: 'input.cart.id' }] },
        timeout: '24h',
        variable: 'purchase',
      },
      0,
      360,
    ),
    node('goal', 'goal', { label: 'Compra', goal: 'purchase', value: 1 }, -200, 480),
    node('endConverted', 'end', { label: 'Convertido', outcome: 'converted' }, -200, 600),
    node(
      'offer',
      'personalize',
      {
        label: 'Elegir oferta',
        rules: [
          {
            id: 'vip',
            condition: { in_list: [{ var: 'customer.tier' }, ['vip', 'gold']] },
            action: { offer: 'VIP15', content: 'un 15 % de descuento exclusivo' },
            priority: 10,
          },
          {
            id: 'bigCart',
            condition: { '>=': [{ var: 'input.cart.total' }, 100] },
            action: { offer: 'ENVIOGRATIS', content: 'el envío gratis' },
            priority: 5,
          },
          {
            id: 'everyone',
            condition: { '==': [1, 1] },
            action: { offer: 'VUELVE10', content: 'un 10 % de descuento' },
            priority: 0,
          },
        ],
      },
      200,
      480,
    ),
    node(
      'offerMessage',
      'message',
      {
        label: 'Enviar oferta',
        text: 'Tu carrito te espera: usa el código {{ nodes.offer.output.offer }} y llévate {{ nodes.offer.output.content }}.',
      },
      200,
      600,
    ),
    node('endAbandoned', 'end', { label: 'Sin compra', outcome: 'abandoned' }, 200, 720),
  ],
  edges: [
    edge('start', 'next', 'waitFirstHour'),
    edge('waitFirstHour', 'event', 'goal'),
    edge('waitFirstHour', 'timeout', 'reminder'),
    edge('reminder', 'next', 'waitPurchase'),
    edge('waitPurchase', 'event', 'goal'),
    edge('waitPurchase', 'timeout', 'offer'),
    edge('goal', 'next', 'endConverted'),
    edge('offer', 'matched', 'offerMessage'),
    edge('offer', 'noMatch', 'endAbandoned'),
    edge('offerMessage', 'next', 'endAbandoned'),
  ],
};

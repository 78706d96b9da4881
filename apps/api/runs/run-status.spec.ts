import { repliesOf } from './run-status';

describe('run status helpers', () => {
  it('keeps what the bot, agents and the system said', () => {
    const at = '2025-01-01T00:00:00.000Z';
    expect(
      repliesOf([
        { from: 'bot', text: 'Hola', at, nodeId: 'hi', buttons: [{ label: 'Sí', value: 'si' }] },
        { from: 'customer', text: 'hey', at },
        { from: 'system', text: 'Marta se ha unido', at },
      ]),
    ).toEqual([
      { from: 'bot', text: 'Hola', at, nodeId: 'hi', buttons: [{ label: 'Sí', value: 'si' }] },
      { from: 'system', text: 'Marta se ha unido', at },
    ]);
  });
});

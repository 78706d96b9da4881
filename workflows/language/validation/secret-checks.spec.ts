import type { FlowDefinition } from '../types';
import { checkSecretUse, literalUrlHost, secretReferences } from './secret-checks';

describe('secret checks of http nodes', () => {
  it('finds the host only when no template comes before the path', () => {
    expect(literalUrlHost('https://api.helpdesk.com/tickets/{{ vars.id }}')?.host).toBe('api.helpdesk.com');
    expect(literalUrlHost(' https://api.helpdesk.com:8443?q={{ x }}')?.host).toBe('api.helpdesk.com:8443');
    expect(literalUrlHost('https://api.helpdesk.com')?.host).toBe('api.helpdesk.com');
    expect(literalUrlHost('http://user@api.helpdesk.com/x')?.host).toBe('api.helpdesk.com');
    for (const templated of [
      'https://{{ vars.host }}/x',
      'https://api.helpdesk.com{{ vars.path }}',
      'https://api.{% if a %}x{% endif %}.com/',
      '{{ vars.base }}/x',
      'https://api.x.com:{{ p }}/',
      'mailto:x@y.com',
      'ftp://x.com/',
    ]) {
      expect([templated, literalUrlHost(templated)]).toEqual([templated, null]);
    }
  });

  const flow: FlowDefinition = {
    nodes: [
      { id: 'start', type: 'start', data: { trigger: 'api' } },
      {
        id: 'call',
        type: 'http',
        data: { label: 'Crear ticket', method: 'POST', url: 'https://api.evil.com/x', secretHeaders: { Authorization: 'helpdesk' } },
      },
      { id: 'dyn', type: 'http', data: { method: 'GET', url: 'https://{{ vars.h }}/', secretHeaders: { 'X-Token': 'other' } } },
      { id: 'plain', type: 'http', data: { method: 'GET', url: 'https://api.x.com/' } },
    ],
    edges: [],
  };

  it('lists every secret header with its literal URL', () => {
    expect(secretReferences(flow).map((r) => [r.nodeId, r.header, r.secret, r.literalUrl?.host ?? null])).toEqual([
      ['call', 'Authorization', 'helpdesk', 'api.evil.com'],
      ['dyn', 'X-Token', 'other', null],
    ]);
    expect(secretReferences({ nodes: 'x' })).toEqual([]);
    expect(secretReferences(null)).toEqual([]);
  });

  it('one error per refused header, naming node, field, secret and host, in both languages', () => {
    const problems = checkSecretUse(flow, (ref) => ref.nodeId !== 'call', 'en');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'node.secret_not_available', severity: 'error', nodeId: 'call', field: 'secretHeaders.Authorization' });
    expect(problems[0].message).toBe(problems[0].messages.en);
    expect(problems[0].messages.en).toContain('Node “Crear ticket” sends the secret “helpdesk” (header “Authorization”) to api.evil.com');
    expect(problems[0].messages.es).toContain('El nodo «Crear ticket» envía el secreto «helpdesk» (cabecera «Authorization») a api.evil.com');
    expect(checkSecretUse(flow, () => true, 'es')).toEqual([]);
  });
});

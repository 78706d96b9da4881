import { splitMarkdown } from './knowledge-import';

describe('splitMarkdown', () => {
  it('splits at # and ## headings; deeper headings, code fences and #hashtags stay in the body; empty sections are skipped', () => {
    const md = [
      '---',
      'title: ignored front matter',
      '---',
      'Texto antes del primer título.',
      '',
      '# Envíos',
      '',
      'Enviamos a toda España en 24-48 h.',
      '',
      '### A Canarias',
      'De 3 a 5 días. #envios',
      '',
      '## **Devoluciones** ##',
      'Tienes 30 días.',
      '```bash',
      '# not a heading',
      '## neither',
      '```',
      'Fin.',
      '#sin-espacio no es título',
      '',
      '## Vacío',
      '',
      '#',
      '  ## Pagos',
      'Tarjeta, PayPal y Bizum.',
    ].join('\r\n');
    expect(splitMarkdown(md, 'docs/ayuda.md')).toEqual([
      { title: 'ayuda', body: 'Texto antes del primer título.' },
      { title: 'Envíos', body: 'Enviamos a toda España en 24-48 h.\n\n### A Canarias\nDe 3 a 5 días. #envios' },
      { title: 'Devoluciones', body: 'Tienes 30 días.\n```bash\n# not a heading\n## neither\n```\nFin.\n#sin-espacio no es título' },
      { title: 'Pagos', body: 'Tarjeta, PayPal y Bizum.' },
    ]);
  });

  it('skips a document title with no text of its own', () => {
    expect(splitMarkdown('# Help centre\n\n## Orders\nWhere is my order?\n\n## Refunds\n5 to 7 days.\n')).toEqual([
      { title: 'Orders', body: 'Where is my order?' },
      { title: 'Refunds', body: '5 to 7 days.' },
    ]);
    expect(splitMarkdown('')).toEqual([]);
  });
});

import { hostAllowed, normaliseHostPattern, parseHostPattern } from './host-patterns';

describe('allowed host patterns', () => {
  it('accepts host names, IP addresses, *.domain and :port, normalised', () => {
    expect(normaliseHostPattern('API.Helpdesk.com')).toBe('api.helpdesk.com');
    expect(normaliseHostPattern('*.helpdesk.com:08443')).toBe('*.helpdesk.com:8443');
    expect(normaliseHostPattern('127.0.0.1:3000')).toBe('127.0.0.1:3000');
    expect(normaliseHostPattern('[2001:DB8::1]:8080')).toBe('[2001:db8::1]:8080');
    expect(normaliseHostPattern('bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('refuses URLs, paths, credentials, bare or too wide wildcards and bad ports', () => {
    for (const bad of [
      '',
      ' ',
      'https://api.x.com',
      'api.x.com/path',
      'user@api.x.com',
      '*',
      '*.com',
      '*.1.2.3',
      'a.*.com',
      'x.com:0',
      'x.com:70000',
      'x.com.',
      'a b.com',
      42,
      null,
    ]) {
      expect([bad, parseHostPattern(bad)]).toEqual([bad, null]);
    }
  });

  it('matches the exact host on the default port only, unless a port is given', () => {
    const allowed = ['api.helpdesk.com', 'hooks.example.com:8443'];
    expect(hostAllowed(allowed, new URL('https://api.helpdesk.com/v1/tickets?x=1'))).toBe(true);
    expect(hostAllowed(allowed, new URL('https://API.HELPDESK.COM:443/'))).toBe(true);
    expect(hostAllowed(allowed, new URL('http://api.helpdesk.com/'))).toBe(true);
    expect(hostAllowed(allowed, new URL('https://api.helpdesk.com:8443/'))).toBe(false);
    expect(hostAllowed(allowed, new URL('https://hooks.example.com:8443/'))).toBe(true);
    expect(hostAllowed(allowed, new URL('https://hooks.example.com/'))).toBe(false);
    // Look-alikes never match: the comparison is on the parsed host, not on text.
    for (const url of [
      'https://api.helpdesk.com.evil.com/',
      'https://evilapi.helpdesk.com/',
      'https://api.helpdesk.com@evil.com/',
      'https://evil.com/api.helpdesk.com',
      'ftp://api.helpdesk.com/',
    ]) {
      expect([url, hostAllowed(allowed, new URL(url))]).toEqual([url, false]);
    }
  });

  it('*.domain matches subdomains at any depth but not the domain itself', () => {
    const allowed = ['*.helpdesk.com'];
    expect(hostAllowed(allowed, new URL('https://eu.api.helpdesk.com/'))).toBe(true);
    expect(hostAllowed(allowed, new URL('https://api.helpdesk.com/'))).toBe(true);
    expect(hostAllowed(allowed, new URL('https://helpdesk.com/'))).toBe(false);
    expect(hostAllowed(allowed, new URL('https://xhelpdesk.com/'))).toBe(false);
  });

  it('allows nothing with no entries or only invalid ones', () => {
    expect(hostAllowed([], new URL('https://api.helpdesk.com/'))).toBe(false);
    expect(hostAllowed(null, new URL('https://api.helpdesk.com/'))).toBe(false);
    expect(hostAllowed(['https://api.helpdesk.com'], new URL('https://api.helpdesk.com/'))).toBe(false);
  });
});

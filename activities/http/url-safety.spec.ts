import { assertUrlAllowed, blockedAddressReason, BlockedUrlError, checkUrlSync, embeddedIPv4 } from './url-safety';

describe('URL safety (SSRF)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'an unspecified address'],
    ['10.1.2.3', 'a private network'],
    ['172.16.0.1', 'a private network'],
    ['172.31.255.255', 'a private network'],
    ['192.168.1.10', 'a private network'],
    ['100.64.0.1', 'a shared (carrier-grade NAT) network'],
    ['169.254.10.20', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'a private network (unique local)'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'a reserved network'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'a private network'],
    ['64:ff9b::a00:1', 'a private network'],
    ['2002:c0a8:101::1', 'a private network'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
    expect(blockedAddressReason(address, { allowPrivateNetworks: true })).toBeNull();
  });

  it.each(['169.254.169.254', '::ffff:169.254.169.254', '100.100.100.200', 'fd00:ec2::254', 'FD00:EC2:0:0:0:0:0:254'])(
    'refuses the metadata endpoint %s even when private networks are allowed',
    (address) => {
      expect(blockedAddressReason(address)).toBe('a cloud metadata endpoint');
      expect(blockedAddressReason(address, { allowPrivateNetworks: true })).toBe('a cloud metadata endpoint');
    },
  );

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888'])('allows the public address %s', (address) => {
    expect(blockedAddressReason(address)).toBeNull();
  });

  it('reads IPv4 embedded in IPv6', () => {
    expect(embeddedIPv4('::ffff:192.168.0.1')).toBe('192.168.0.1');
    expect(embeddedIPv4('::ffff:c0a8:1')).toBe('192.168.0.1');
    expect(embeddedIPv4('2002:0808:0808::1')).toBe('8.8.8.8');
    expect(embeddedIPv4('2606:4700::1')).toBeNull();
    expect(embeddedIPv4('::1')).toBeNull();
  });

  it('checks scheme, names and literal addresses before any DNS', () => {
    const refused =
      (url: string, allowPrivateNetworks = false) =>
      () =>
        checkUrlSync(new URL(url), { allowPrivateNetworks });
    expect(refused('ftp://example.com/')).toThrow(/only http and https/);
    expect(refused('file:///etc/passwd')).toThrow(BlockedUrlError);
    expect(refused('http://metadata.google.internal/computeMetadata/v1/')).toThrow(/cloud metadata/);
    expect(refused('http://metadata.google.internal/', true)).toThrow(/cloud metadata/);
    expect(refused('http://169.254.169.254/latest/meta-data/', true)).toThrow(/cloud metadata/);
    expect(refused('http://localhost:8080/')).toThrow(/loopback/);
    expect(refused('http://api.localhost/')).toThrow(/loopback/);
    expect(refused('http://127.0.0.1/')).toThrow(/127\.0\.0\.1 is loopback/);
    expect(refused('http://2130706433/')).toThrow(/loopback/); // decimal form of 127.0.0.1
    expect(refused('http://0x7f.1/')).toThrow(/loopback/);
    expect(refused('http://[::1]:3000/')).toThrow(/loopback/);
    expect(refused('http://[::ffff:7f00:1]/')).toThrow(/loopback/);
    expect(refused('http://10.0.0.5/')).toThrow(/private network/);
    expect(refused('http://127.0.0.1/', true)).not.toThrow();
    expect(refused('https://8.8.8.8/')).not.toThrow();
  });

  it('resolves names and checks every address', async () => {
    await expect(assertUrlAllowed('http://localhost./x')).rejects.toThrow(BlockedUrlError);
    await expect(assertUrlAllowed('http://127.0.0.1:9/')).rejects.toThrow(/loopback/);
    await expect(assertUrlAllowed('http://127.0.0.1:9/', { allowPrivateNetworks: true })).resolves.toBeUndefined();
  });
});

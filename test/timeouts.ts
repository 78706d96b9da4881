// Integration tests talk to real servers; give each test a minute before Jest calls it hung.
jest.setTimeout(60_000);

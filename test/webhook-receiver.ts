import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// A test helper for the notification tests (activities/notify, upkeep/outbox-dispatch).

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real webhook receiver on 127.0.0.1; `respond` decides each answer's status. */
export async function startWebhookReceiver() {
  const received: Received[] = [];
  let respond: () => number = () => 204;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = respond();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cauce`,
    received,
    setStatus: (status: number) => {
      respond = () => status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { parseDuration } from '../../language/duration';
import { httpActivity } from '../activities';
import { callActivity } from './helpers/call';
import type { HandlerOf } from './types';

export const http: HandlerOf<'http'> = async (node, run) => {
  const timeoutMs = node.data.timeout ? parseDuration(node.data.timeout) : 10_000;
  const headers = Object.fromEntries(Object.entries(node.data.headers ?? {}).map(([k, t]) => [k, run.render(node, t, `headers.${k}`)]));
  const call = httpActivity(timeoutMs);
  const r = await callActivity(run, node, () =>
    call({
      ctx: run.activityContext(node),
      method: node.data.method,
      url: run.render(node, node.data.url, 'url'),
      headers,
      ...(node.data.secretHeaders ? { secretHeaders: node.data.secretHeaders } : {}),
      ...(node.data.body !== undefined ? { body: run.render(node, node.data.body, 'body') } : {}),
      timeoutMs,
    }),
  );
  if (!r.ok) return { branch: 'error', output: { ok: false, error: r.error } };
  if (node.data.variable && r.value.ok) run.vars[node.data.variable] = r.value.body;
  return { branch: r.value.ok ? 'ok' : 'error', output: { ok: r.value.ok, status: r.value.status, body: r.value.body } };
};

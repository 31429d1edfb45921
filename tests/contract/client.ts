// A partner's script, written against the client that openapi-typescript generates from the
// API document (./api.ts, made by client.test.mjs) and openapi-fetch: it signs in, asks the
// quote of a room, requests it and reads it back, then tries the same slot again. The
// TypeScript compiler checks every path, body and field against the document, strictly.
import createClient from 'openapi-fetch';
import type { paths, components } from './api.js';

type Request = components['schemas']['ReservationRequest'];

export interface Outcome {
  user: string;
  quotedCents: number;
  free: boolean;
  id: string;
  status: components['schemas']['Reservation']['status'];
  bookedCents: number;
  again: string;
}

export async function bookARoom(baseUrl: string, email: string, password: string, request: Request): Promise<Outcome> {
  const anonymous = createClient<paths>({ baseUrl });
  const session = await anonymous.POST('/api/session', { body: { email, password } });
  if (!session.data) throw new Error(`sign-in refused: ${session.error?.code ?? session.response.status}`);

  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${session.data.token}` } });
  const me = await client.GET('/api/me');
  if (!me.data) throw new Error(`me: ${me.response.status}`);

  const quote = await client.POST('/api/quotes', { body: request });
  if (!quote.data) throw new Error(`quote refused: ${quote.error?.code}`);

  const booked = await client.POST('/api/reservations', {
    body: request,
    params: { header: { 'Idempotency-Key': `client-${request.start}` } },
  });
  if (!booked.data) throw new Error(`request refused: ${booked.error?.code}`);

  const read = await client.GET('/api/reservations/{id}', { params: { path: { id: booked.data.id } } });
  if (!read.data) throw new Error(`read: ${read.error?.code}`);

  // The same slot again: a problem whose code the document lists for this answer.
  const again = await client.POST('/api/reservations', { body: request });
  if (again.data) throw new Error('the same slot was booked twice');
  const code: string = again.error.code;

  return {
    user: me.data.email,
    quotedCents: quote.data.quote.total_cents,
    free: quote.data.quote.free,
    id: read.data.id,
    status: read.data.status,
    bookedCents: read.data.quote.total_cents,
    again: code,
  };
}

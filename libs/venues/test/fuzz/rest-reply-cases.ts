import fc from 'fast-check';
import { anyJson, mutationOf } from '@perpetua/testkit';

/** Statuses a venue's REST answer is drawn from: mostly 200, then each refusal and outage a venue sends. */
export const REPLY_STATUSES = [200, 200, 200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 502, 503] as const;

/**
 * One fuzz case of an adapter REST-reply suite: a call, the status and the body the venue answers it with (mostly
 * its real answer broken, then any JSON, plain text or a proxy's page, and now and then the real answer itself).
 */
export function restReplyCases<C extends { path: string }>(calls: readonly C[], samples: ReadonlyMap<string, unknown>): fc.Arbitrary<{ call: C; status: number; body: unknown }> {
  return fc.nat({ max: calls.length - 1 }).chain((i) =>
    fc.record({
      call: fc.constant(calls[i]!),
      status: fc.constantFrom(...REPLY_STATUSES),
      body: fc.oneof(
        { weight: 6, arbitrary: mutationOf([samples.get(calls[i]!.path)]) },
        { weight: 2, arbitrary: anyJson },
        { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom('', '{', '[', 'null', '<html>502 Bad Gateway</html>')) },
        { weight: 1, arbitrary: fc.constant(samples.get(calls[i]!.path)) },
      ),
    }),
  );
}

/** A case in a failure message: the call, the status and the start of the body. */
export function replyCaseText(call: { name: string }, status: number, body: unknown): string {
  return `${call.name} <- ${status} ${(typeof body === 'string' ? body : JSON.stringify(body) ?? '').slice(0, 300)}`;
}

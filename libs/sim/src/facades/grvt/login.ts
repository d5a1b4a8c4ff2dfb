/**
 * The edge host's `POST /auth/api_key/login`: `{"api_key"}` in, session cookie `gravity=...` (with its expiry) and
 * header `X-Grvt-Account-Id` out; the body is GRVT's `{status, location, funding_account_address, sub_account_id}`.
 */
import { GrvtApiError } from './errors.js';
import type { ExtraRoute } from './rest-server.js';
import type { GrvtSessions } from './sessions.js';
import { describeIssue, LoginRequest } from './wire-schemas.js';

export const LOGIN_PATH = '/auth/api_key/login';

export function loginRoute(sessions: GrvtSessions): ExtraRoute {
  return (body) => {
    const parsed = LoginRequest.safeParse(body);
    if (!parsed.success) throw new GrvtApiError('MALFORMED', describeIssue(parsed.error));
    const session = sessions.login(parsed.data.api_key);
    const expires = new Date(session.expiresAt).toUTCString();
    return {
      status: 200,
      headers: {
        'set-cookie': `gravity=${session.token}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax`,
        'x-grvt-account-id': session.account.mainAccountId,
      },
      body: {
        status: 'success',
        location: '',
        funding_account_address: session.account.mainAccountId,
        sub_account_id: session.account.subAccountId,
      },
    };
  };
}
